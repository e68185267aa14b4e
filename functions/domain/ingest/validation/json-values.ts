import { T_BOOLEAN, T_DATE, T_DATETIME, T_GEOPOINT, T_INTEGER, T_NUMBER } from './fields.ts';
import { inLonLatRange, isDate, isDatetime, isGeopoint } from './values.ts';

// Strings are copied into this scratch buffer so JSON values reuse the byte checks.
const scratch = new Uint8Array(256);

/** True when a parsed, non-null JSON value is valid for the type code. */
export function checkJsonValue(type: number, v: unknown): boolean {
  switch (type) {
    case T_INTEGER:
      return typeof v === 'number' && Number.isInteger(v);
    case T_NUMBER:
      return typeof v === 'number' && Number.isFinite(v);
    case T_BOOLEAN:
      return typeof v === 'boolean';
    case T_DATE:
      return typeof v === 'string' && isDate(scratch, 0, ascii(v));
    case T_DATETIME:
      return typeof v === 'string' && isDatetime(scratch, 0, ascii(v));
    case T_GEOPOINT:
      return isJsonGeopoint(v);
    default:
      return true;
  }
}

/** `"lon, lat"`, `[lon, lat]` or `{lon, lat}`, in range. */
function isJsonGeopoint(v: unknown): boolean {
  if (typeof v === 'string') {
    const n = ascii(v);
    return n > 0 && isGeopoint(scratch, 0, n);
  }
  if (Array.isArray(v)) return v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'number' && inLonLatRange(v[0], v[1]);
  if (typeof v !== 'object' || v === null) return false;
  const { lon, lat } = v as { lon?: unknown; lat?: unknown };
  return Object.keys(v).length === 2 && typeof lon === 'number' && typeof lat === 'number' && inLonLatRange(lon, lat);
}

/** Copies an ASCII string into the scratch buffer; -1 when too long or not ASCII (never valid then). */
function ascii(s: string): number {
  if (s.length > scratch.length) return -1;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) return -1;
    scratch[i] = c;
  }
  return s.length;
}
