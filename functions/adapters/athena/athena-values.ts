import type { ColumnSpec } from '../../ports/query-engine.ts';

/** Athena answers every value as text; this reads it back as the records route answers it. */
export function athenaValue(athenaType: string, text: string | undefined): unknown {
  if (text === undefined) return null;
  const type = athenaType.toLowerCase();
  if (type === 'bigint' || type === 'integer' || type === 'smallint' || type === 'tinyint') {
    const n = Number(text);
    // Beyond 2^53 a number would silently change: kept as its exact text.
    return Number.isSafeInteger(n) ? n : text;
  }
  if (type === 'double' || type === 'float' || type === 'real' || type.startsWith('decimal')) return Number(text);
  if (type === 'boolean') return text === 'true';
  if (type.startsWith('timestamp')) return isoOf(text);
  if (type.startsWith('row') || type.startsWith('struct')) return pointOf(text);
  return text;
}

/** `2024-03-01 10:15:00.000` (UTC, as copies store it) as ISO 8601 with `Z`. */
function isoOf(text: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)/.exec(text);
  return m ? new Date(`${m[1]}T${m[2]}Z`).toISOString() : text;
}

/** A geopoint `{lon=2.35, lat=48.85}` as `{lon, lat}`; anything else is returned as it came. */
function pointOf(text: string): unknown {
  const m = /^\{lon=([-+0-9.eE]+|null), lat=([-+0-9.eE]+|null)\}$/.exec(text.trim());
  if (!m) return text;
  return m[1] === 'null' || m[2] === 'null' ? null : { lon: Number(m[1]), lat: Number(m[2]) };
}

