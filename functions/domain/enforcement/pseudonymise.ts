import { createHmac } from 'node:crypto';

/** Hex characters of a pseudonym: the first 128 bits of the HMAC. */
export const PSEUDONYM_LENGTH = 32;

/** Bytes of the HMAC kept. */
const MAC_BYTES = PSEUDONYM_LENGTH / 2;
/** Values longer than this are hashed every time rather than cached. */
const MAX_CACHED_VALUE = 256;
/** Arena record: value length (2 bytes), MAC (16 bytes), value bytes. */
const RECORD_HEAD = 2 + MAC_BYTES;
const DEFAULT_MAX_ENTRIES = 1 << 19;
const DEFAULT_MAX_ARENA = 32 * 1024 * 1024;

/** Both hex digits of each byte value, as char codes. */
const HEX_HI = new Uint8Array(256);
const HEX_LO = new Uint8Array(256);
for (let v = 0; v < 256; v++) {
  HEX_HI[v] = '0123456789abcdef'.charCodeAt(v >>> 4);
  HEX_LO[v] = '0123456789abcdef'.charCodeAt(v & 15);
}

/** Bounds of the per-run cache. */
export interface PseudonymCacheLimits {
  /** Distinct values kept before the cache is cleared; default 524 288. */
  maxEntries?: number;
  /** Arena bytes (18 + value length per value) kept before the cache is cleared; default 32 MiB. */
  maxArenaBytes?: number;
}

/**
 * Keyed pseudonyms: lower-case hex HMAC-SHA-256(key, value) truncated to 32 characters, written straight into an
 * output buffer. An HMAC costs about 2 µs, so results are cached per distinct value (up to 256 bytes) within a run,
 * in a byte-keyed open-addressing table: no string per cell, and a hit touches one slot and one arena record. The
 * cache is bounded (by default 524 288 values, 8 MiB of slots, 32 MiB of arena) and cleared when full.
 */
export class Pseudonymiser {
  private readonly key: Uint8Array;
  private readonly maxEntries: number;
  private readonly maxArenaBytes: number;
  /** Per slot: value hash, then arena offset + 1 (0 when free); linear probing, at most 3/4 full. */
  private slots: Int32Array = new Int32Array(2 * 1024);
  private mask = 1023;
  private arena = new Uint8Array(64 * 1024);
  private used = 0;
  private count = 0;

  constructor(key: Uint8Array, limits: PseudonymCacheLimits = {}) {
    if (key.length < 16) throw new RangeError('the pseudonymisation key must have at least 16 bytes');
    this.key = Uint8Array.from(key);
    this.maxEntries = limits.maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.maxArenaBytes = Math.max(limits.maxArenaBytes ?? DEFAULT_MAX_ARENA, RECORD_HEAD + MAX_CACHED_VALUE);
    if (!Number.isInteger(this.maxEntries) || this.maxEntries < 1) throw new RangeError('maxEntries must be a positive integer');
  }

  /** Pseudonym of a string ('' for ''). */
  text(value: string): string {
    if (value === '') return '';
    const b = new TextEncoder().encode(value);
    const out = new Uint8Array(PSEUDONYM_LENGTH);
    this.write(b, 0, b.length, out, 0);
    return new TextDecoder().decode(out);
  }

  /** Writes the pseudonym of the non-empty value b[s..e) at out[o..]; returns o + 32. */
  write(b: Uint8Array, s: number, e: number, out: Uint8Array, o: number): number {
    const len = e - s;
    if (len > MAX_CACHED_VALUE) return hex(this.mac(b, s, e), 0, out, o);
    let h = 0x811c9dc5 | 0;
    for (let i = s; i < e; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
    h ^= h >>> 15;
    const slots = this.slots;
    const mask = this.mask;
    const arena = this.arena;
    let slot = h & mask;
    for (let at = slots[2 * slot + 1]!; at !== 0; at = slots[2 * slot + 1]!) {
      if (slots[2 * slot] === h) {
        const r = at - 1;
        if ((arena[r]! | (arena[r + 1]! << 8)) === len) {
          const k = r + RECORD_HEAD - s;
          let i = s;
          while (i < e && arena[k + i] === b[i]) i++;
          if (i === e) return hex(arena, r + 2, out, o);
        }
      }
      slot = (slot + 1) & mask;
    }
    return this.insert(b, s, e, h, out, o);
  }

  /** Computes, caches and writes a pseudonym the table lacks. */
  private insert(b: Uint8Array, s: number, e: number, h: number, out: Uint8Array, o: number): number {
    const len = e - s;
    const size = RECORD_HEAD + len;
    if (this.count === this.maxEntries || this.used + size > this.maxArenaBytes) {
      this.slots.fill(0);
      this.count = 0;
      this.used = 0;
    } else if ((this.count + 1) * 4 > (this.mask + 1) * 3) {
      this.rehash();
    }
    if (this.used + size > this.arena.length) {
      const arena = new Uint8Array(Math.min(Math.max(this.used + size, this.arena.length * 2), this.maxArenaBytes));
      arena.set(this.arena.subarray(0, this.used));
      this.arena = arena;
    }
    const r = this.used;
    const arena = this.arena;
    arena[r] = len & 0xff;
    arena[r + 1] = len >>> 8;
    arena.set(this.mac(b, s, e).subarray(0, MAC_BYTES), r + 2);
    arena.set(b.subarray(s, e), r + RECORD_HEAD);
    this.used += size;
    this.count++;
    const mask = this.mask;
    let slot = h & mask;
    while (this.slots[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
    this.slots[2 * slot] = h;
    this.slots[2 * slot + 1] = r + 1;
    return hex(arena, r + 2, out, o);
  }

  private mac(b: Uint8Array, s: number, e: number): Uint8Array {
    return createHmac('sha256', this.key).update(b.subarray(s, e)).digest();
  }

  /** Doubles the slot table, re-placing every entry by its stored hash. */
  private rehash(): void {
    const old = this.slots;
    const slots = new Int32Array(old.length * 2);
    const mask = slots.length / 2 - 1;
    for (let j = 0; j < old.length; j += 2) {
      if (old[j + 1] === 0) continue;
      let slot = old[j]! & mask;
      while (slots[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
      slots[2 * slot] = old[j]!;
      slots[2 * slot + 1] = old[j + 1]!;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/** Writes the 16 bytes at mac[m..] as 32 lower-case hex digits at out[o..]. */
function hex(mac: Uint8Array, m: number, out: Uint8Array, o: number): number {
  for (let i = m; i < m + MAC_BYTES; i++) {
    const v = mac[i]!;
    out[o++] = HEX_HI[v]!;
    out[o++] = HEX_LO[v]!;
  }
  return o;
}
