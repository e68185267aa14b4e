import { COLON, COMMA, DOT, MINUS, PLUS, SPACE } from './bytes.ts';

// Byte-range checks on b[s..e): no strings, no regexes, so a cell costs a few comparisons.

/** Optional sign then one or more digits. */
export function isInteger(b: Uint8Array, s: number, e: number): boolean {
  let i = s;
  const c = b[i];
  if (c === PLUS || c === MINUS) i++;
  if (i >= e) return false;
  for (; i < e; i++) if (b[i]! - 0x30 >>> 0 > 9) return false;
  return true;
}

/** `-?digits(.digits)?([eE][+-]?digits)?`, with `,` also as the decimal mark when `decimalComma`. */
export function isNumber(b: Uint8Array, s: number, e: number, decimalComma: boolean): boolean {
  let i = s;
  if (b[i] === MINUS) i++;
  let from = i;
  while (i < e && b[i]! - 0x30 >>> 0 <= 9) i++;
  if (i === from) return false;
  if (i < e && (b[i] === DOT || (decimalComma && b[i] === COMMA))) {
    from = ++i;
    while (i < e && b[i]! - 0x30 >>> 0 <= 9) i++;
    if (i === from) return false;
  }
  if (i < e && (b[i]! | 0x20) === 0x65) {
    i++;
    if (i < e && (b[i] === PLUS || b[i] === MINUS)) i++;
    from = i;
    while (i < e && b[i]! - 0x30 >>> 0 <= 9) i++;
    if (i === from) return false;
  }
  return i === e;
}

/** true/false/1/0/yes/no/oui/non, any case. */
export function isBoolean(b: Uint8Array, s: number, e: number): boolean {
  // OR 0x20 lower-cases ASCII letters and maps no other byte onto a lower-case letter.
  switch (e - s) {
    case 1:
      return b[s] === 0x31 || b[s] === 0x30;
    case 2:
      return (b[s]! | 0x20) === 0x6e && (b[s + 1]! | 0x20) === 0x6f;
    case 3: {
      const c0 = b[s]! | 0x20;
      const c1 = b[s + 1]! | 0x20;
      const c2 = b[s + 2]! | 0x20;
      return (
        (c0 === 0x79 && c1 === 0x65 && c2 === 0x73) || // yes
        (c0 === 0x6f && c1 === 0x75 && c2 === 0x69) || // oui
        (c0 === 0x6e && c1 === 0x6f && c2 === 0x6e) // non
      );
    }
    case 4:
      return (b[s]! | 0x20) === 0x74 && (b[s + 1]! | 0x20) === 0x72 && (b[s + 2]! | 0x20) === 0x75 && (b[s + 3]! | 0x20) === 0x65;
    case 5:
      return (
        (b[s]! | 0x20) === 0x66 &&
        (b[s + 1]! | 0x20) === 0x61 &&
        (b[s + 2]! | 0x20) === 0x6c &&
        (b[s + 3]! | 0x20) === 0x73 &&
        (b[s + 4]! | 0x20) === 0x65
      );
    default:
      return false;
  }
}

/** `YYYY-MM-DD` naming a real calendar day. */
export function isDate(b: Uint8Array, s: number, e: number): boolean {
  return e - s === 10 && dateAt(b, s);
}

/** `YYYY-MM-DDTHH:MM:SS`, optional `.fraction`, optional `Z` or `±HH:MM`. */
export function isDatetime(b: Uint8Array, s: number, e: number): boolean {
  if (e - s < 19 || !dateAt(b, s) || b[s + 10] !== 0x54) return false;
  if (!clockAt(b, s + 11, 23) || b[s + 13] !== COLON || !clockAt(b, s + 14, 59) || b[s + 16] !== COLON || !clockAt(b, s + 17, 59)) return false;
  let i = s + 19;
  if (i < e && b[i] === DOT) {
    const from = ++i;
    while (i < e && b[i]! - 0x30 >>> 0 <= 9) i++;
    if (i === from) return false;
  }
  if (i === e) return true;
  if (b[i] === 0x5a) return i + 1 === e;
  if (b[i] !== PLUS && b[i] !== MINUS) return false;
  return e - i === 6 && clockAt(b, i + 1, 23) && b[i + 3] === COLON && clockAt(b, i + 4, 59);
}

/** `lon, lat` (space optional) with lon in [-180, 180] and lat in [-90, 90]. */
export function isGeopoint(b: Uint8Array, s: number, e: number): boolean {
  let i = coordinate(b, s, e, 180);
  if (i < 0 || i >= e || b[i] !== COMMA) return false;
  i++;
  if (i < e && b[i] === SPACE) i++;
  return coordinate(b, i, e, 90) === e;
}

/** True when `(lon, lat)` are finite numbers in range (used for JSON arrays and objects). */
export function inLonLatRange(lon: number, lat: number): boolean {
  return Number.isFinite(lon) && Number.isFinite(lat) && lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90;
}

/** Days in month `m` (1–12) of year `y`, leap years included. */
export function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function digit(b: Uint8Array, i: number): number {
  const d = b[i]! - 0x30;
  return d >>> 0 <= 9 ? d : -100_000;
}

function dateAt(b: Uint8Array, s: number): boolean {
  // A non-digit contributes -100000, which drives any sum negative.
  const y = digit(b, s) * 1000 + digit(b, s + 1) * 100 + digit(b, s + 2) * 10 + digit(b, s + 3);
  const m = digit(b, s + 5) * 10 + digit(b, s + 6);
  const d = digit(b, s + 8) * 10 + digit(b, s + 9);
  return y >= 0 && b[s + 4] === MINUS && b[s + 7] === MINUS && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

function clockAt(b: Uint8Array, s: number, max: number): boolean {
  const v = digit(b, s) * 10 + digit(b, s + 1);
  return v >= 0 && v <= max;
}

/** Parses `-?digits(.digits)?` with |value| <= limit; returns the index after it, or -1. */
function coordinate(b: Uint8Array, s: number, e: number, limit: number): number {
  let i = s;
  if (i < e && b[i] === MINUS) i++;
  const from = i;
  while (i < e && b[i]! - 0x30 >>> 0 <= 9) i++;
  const digits = i - from;
  if (digits === 0) return -1;
  let whole = 0;
  // Only short runs can be in range; leading zeros are skipped so `0090` still reads as 90.
  let k = from;
  while (k < i - 1 && b[k] === 0x30) k++;
  if (i - k > 3) return -1;
  for (; k < i; k++) whole = whole * 10 + (b[k]! - 0x30);
  let fraction = false;
  if (i < e && b[i] === DOT) {
    const start = ++i;
    while (i < e && b[i]! - 0x30 >>> 0 <= 9) i++;
    if (i === start) return -1;
    if (whole === limit) for (let f = start; f < i; f++) if (b[f] !== 0x30) fraction = true;
  }
  return whole < limit || (whole === limit && !fraction) ? i : -1;
}
