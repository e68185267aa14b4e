import { isUtf8 } from 'node:buffer';

/** Streaming UTF-8 check: finds the first invalid byte even when a character is split across chunks. */
export class Utf8Checker {
  private need = 0;
  private lo = 0x80;
  private hi = 0xbf;
  private failed = false;

  /** Offset in `chunk` of the first invalid byte, or -1; after one failure it stops looking. */
  check(chunk: Uint8Array): number {
    if (this.failed) return -1;
    const n = chunk.length;
    let i = 0;
    if (this.need > 0) {
      i = Math.min(n, this.need);
      const bad = this.scan(chunk, 0, i);
      if (bad >= 0 || i === n) return bad;
    }
    const tail = incompleteTail(chunk, i, n);
    // The native check is the fast path; the byte walk only runs to locate an error or carry a tail.
    if (tail > i && !isUtf8(chunk.subarray(i, tail))) return this.scan(chunk, i, tail);
    return this.scan(chunk, tail, n);
  }

  /** True when the input ended in the middle of a character. */
  truncated(): boolean {
    return !this.failed && this.need > 0;
  }

  private scan(b: Uint8Array, from: number, to: number): number {
    let need = this.need;
    let lo = this.lo;
    let hi = this.hi;
    for (let k = from; k < to; k++) {
      const c = b[k]!;
      if (need === 0) {
        if (c < 0x80) continue;
        if (c < 0xc2) return this.fail(k);
        if (c < 0xe0) {
          need = 1;
        } else if (c < 0xf0) {
          // E0 forbids overlongs, ED forbids UTF-16 surrogates.
          need = 2;
          lo = c === 0xe0 ? 0xa0 : 0x80;
          hi = c === 0xed ? 0x9f : 0xbf;
        } else if (c < 0xf5) {
          // F0 forbids overlongs, F4 caps at U+10FFFF.
          need = 3;
          lo = c === 0xf0 ? 0x90 : 0x80;
          hi = c === 0xf4 ? 0x8f : 0xbf;
        } else {
          return this.fail(k);
        }
        continue;
      }
      if (c < lo || c > hi) return this.fail(k);
      need--;
      lo = 0x80;
      hi = 0xbf;
    }
    this.need = need;
    this.lo = lo;
    this.hi = hi;
    return -1;
  }

  private fail(at: number): number {
    this.failed = true;
    this.need = 0;
    return at;
  }
}

/** Start of a multi-byte character cut off by the end of `b[from..to)`, else `to`. */
function incompleteTail(b: Uint8Array, from: number, to: number): number {
  for (let k = to - 1; k >= from && k >= to - 3; k--) {
    const c = b[k]!;
    if (c < 0x80) return to;
    if (c >= 0xc0) {
      const len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
      return to - k < len ? k : to;
    }
  }
  return to;
}
