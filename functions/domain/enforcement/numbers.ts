// Byte-level number handling for coordinates: parse to a double, or round the decimal text without floats.

const MINUS = 0x2d;
const DOT = 0x2e;
const COMMA = 0x2c;
const ZERO = 0x30;
const SPACE = 0x20;
/** Longest text the exponent fallback may write. */
const MAX_FALLBACK = 40;

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
const latin1 = new TextDecoder('latin1');

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c - ZERO >>> 0 <= 9;
}

/**
 * Parses `-?digits([.,]digits)?([eE][+-]?digits)?` in b[s..e) (`,` as the decimal mark only when `decimalComma`);
 * NaN when the bytes are not such a number. Short numbers are read exactly without creating a string.
 */
export function parseNumber(b: Uint8Array, s: number, e: number, decimalComma: boolean): number {
  let i = s;
  const neg = b[i] === MINUS;
  if (neg) i++;
  const from = i;
  let m = 0;
  while (i < e && isDigit(b[i])) m = m * 10 + (b[i++]! - ZERO);
  let digits = i - from;
  if (digits === 0) return NaN;
  let scale = 0;
  if (i < e && (b[i] === DOT || (decimalComma && b[i] === COMMA))) {
    const f = ++i;
    while (i < e && isDigit(b[i])) m = m * 10 + (b[i++]! - ZERO);
    scale = i - f;
    if (scale === 0) return NaN;
    digits += scale;
  }
  if (i === e && digits <= 15) {
    // Both operands are exact, so the one division is correctly rounded, as Number() would be.
    const v = scale === 0 ? m : m / POW10[scale]!;
    return neg ? -v : v;
  }
  return slowNumber(b, s, e, i, decimalComma);
}

/** Long mantissas and exponents: checks the exponent's grammar, then lets Number() read the text. */
function slowNumber(b: Uint8Array, s: number, e: number, i: number, decimalComma: boolean): number {
  if (i < e) {
    if ((b[i]! | 0x20) !== 0x65) return NaN;
    i++;
    if (i < e && (b[i] === 0x2b || b[i] === MINUS)) i++;
    const f = i;
    while (i < e && isDigit(b[i])) i++;
    if (i === f || i !== e) return NaN;
  }
  let text = latin1.decode(b.subarray(s, e));
  if (decimalComma) text = text.replace(',', '.');
  return Number(text);
}

/**
 * Writes the number b[s..e) rounded half away from zero to at most `decimals` decimals at out[o..], keeping its
 * decimal mark; a number with fewer decimals is copied unchanged. Returns the end of what was written, or -1 when
 * b[s..e) is not a number. Writes at most max(e - s, 40) bytes.
 */
export function writeRounded(b: Uint8Array, s: number, e: number, decimals: number, decimalComma: boolean, out: Uint8Array, o: number): number {
  let i = s;
  const neg = b[i] === MINUS;
  if (neg) i++;
  const is = i;
  while (i < e && isDigit(b[i])) i++;
  const ie = i;
  if (ie === is) return -1;
  let mark = 0;
  let fs = i;
  if (i < e && (b[i] === DOT || (decimalComma && b[i] === COMMA))) {
    mark = b[i]!;
    fs = ++i;
    while (i < e && isDigit(b[i])) i++;
    if (i === fs) return -1;
  }
  const fe = i;
  if (i < e) return (b[i]! | 0x20) === 0x65 ? fallbackRounded(b, s, e, decimals, decimalComma, mark, out, o) : -1;
  if (fe - fs <= decimals || mark === 0) {
    for (let k = s; k < e; k++) out[o++] = b[k]!;
    return o;
  }
  let w = o;
  if (neg) out[w++] = MINUS;
  const first = w;
  for (let k = is; k < ie; k++) out[w++] = b[k]!;
  if (decimals > 0) {
    out[w++] = mark;
    for (let k = fs; k < fs + decimals; k++) out[w++] = b[k]!;
  }
  if (b[fs + decimals]! >= 0x35) {
    // Round up the kept digits: carry leftwards over nines, across the decimal mark.
    let k = w - 1;
    for (; k >= first; k--) {
      const c = out[k]!;
      if (c === mark) continue;
      if (c !== 0x39) {
        out[k] = c + 1;
        break;
      }
      out[k] = ZERO;
    }
    if (k < first) {
      out.copyWithin(first + 1, first, w);
      out[first] = 0x31;
      w++;
    }
  }
  if (neg) {
    // -0.001 rounded to 2 decimals is 0.00, not -0.00.
    let zero = true;
    for (let k = first; k < w && zero; k++) if (out[k] !== ZERO && out[k] !== mark) zero = false;
    if (zero) {
      out.copyWithin(o, first, w);
      w--;
    }
  }
  return w;
}

/** Numbers written with an exponent: read by Number(), written with toFixed (rare in coordinate columns); -1 when huge. */
function fallbackRounded(b: Uint8Array, s: number, e: number, decimals: number, decimalComma: boolean, mark: number, out: Uint8Array, o: number): number {
  const v = parseNumber(b, s, e, decimalComma);
  // Beyond 1e15 no coordinate lives, and toFixed would switch to exponent notation past 1e21.
  if (!(Math.abs(v) < 1e15)) return -1;
  const f = 10 ** decimals;
  let text = (Math.round(Math.abs(v) * f) / f).toFixed(decimals);
  if (v < 0 && /[1-9]/.test(text)) text = `-${text}`;
  if (text.length > MAX_FALLBACK) return -1;
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    out[o++] = c === DOT && mark === COMMA ? COMMA : c;
  }
  return o;
}

/** Index of the `,` separating "lon, lat" in b[s..e), or -1. */
export function geopointComma(b: Uint8Array, s: number, e: number): number {
  for (let i = s; i < e; i++) if (b[i] === COMMA) return i;
  return -1;
}

/** First index at or after i in b[..e) that is not a space. */
export function skipSpaces(b: Uint8Array, i: number, e: number): number {
  while (i < e && b[i] === SPACE) i++;
  return i;
}

/** Last index (exclusive) before e, down to s, that is not preceded by a space. */
export function trimEnd(b: Uint8Array, s: number, e: number): number {
  while (e > s && b[e - 1] === SPACE) e--;
  return e;
}
