/** Holds the unfinished tail of the previous chunk so the next scan sees one contiguous buffer. */
export class Carry {
  private store = new Uint8Array(0);
  private len = 0;

  /** Bytes carried so far. */
  get length(): number {
    return this.len;
  }

  /** The carried tail followed by `chunk`; a view of `chunk` when nothing is carried (no copy). */
  join(chunk: Uint8Array): Uint8Array {
    // A plain Uint8Array view keeps the scanners' element loads monomorphic (Buffer is a subclass).
    if (this.len === 0) return chunk.constructor === Uint8Array ? chunk : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length);
    const total = this.len + chunk.length;
    if (total > this.store.length) {
      // Doubling keeps a record spanning many chunks linear in copies.
      const bigger = new Uint8Array(Math.max(total, this.store.length * 2));
      bigger.set(this.store.subarray(0, this.len));
      this.store = bigger;
    }
    this.store.set(chunk, this.len);
    this.len = total;
    return this.store.subarray(0, total);
  }

  /** Keeps `buf[from..]` for the next join; `buf` may be the store itself or a caller's chunk. */
  keep(buf: Uint8Array, from: number): void {
    const n = buf.length - from;
    if (n <= 0) {
      this.len = 0;
      return;
    }
    if (buf.buffer === this.store.buffer) {
      this.store.copyWithin(0, buf.byteOffset - this.store.byteOffset + from, buf.byteOffset - this.store.byteOffset + buf.length);
    } else {
      if (n > this.store.length) this.store = new Uint8Array(Math.max(n, 1024));
      // A copy, because the caller may reuse its chunk.
      this.store.set(buf.subarray(from));
    }
    this.len = n;
  }
}
