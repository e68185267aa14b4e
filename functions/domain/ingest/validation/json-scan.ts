import { isUtf8 } from 'node:buffer';
import type { QualityReport, SchemaField } from '../../../../schemas/dataset.ts';
import { BACKSLASH, COLON, COMMA, LBRACE, LBRACKET, LF, QUOTE, RBRACE, RBRACKET } from './bytes.ts';
import { Carry } from './carry.ts';
import { Tally } from './report.ts';
import type { Limits, RecordValidator } from './types.ts';

/** Reason for bytes that are not JSON. */
export const MALFORMED = 'malformed JSON';
/** Reason for JSON cut off by the end of the file. */
export const TRUNCATED = 'unexpected end of JSON';
/** Reason for bytes that are not UTF-8. */
export const BAD_UTF8 = 'invalid UTF-8';

/** Returned by parseSlice when the bytes are not UTF-8 or not JSON. */
export const NOT_UTF8: unique symbol = Symbol('not UTF-8');
export const NOT_JSON: unique symbol = Symbol('not JSON');

const EMPTY = new Uint8Array(0);
const BOM = [0xef, 0xbb, 0xbf];

// Bytes that end a bare literal (number, true, false, null) and cannot start one.
const ENDS_LITERAL = new Uint8Array(256);
for (const c of [0x20, 0x09, 0x0a, 0x0d, COMMA, COLON, LBRACKET, RBRACKET, LBRACE, RBRACE, QUOTE]) ENDS_LITERAL[c] = 1;

const NONE = 0;
const NESTED = 1;
const LITERAL = 2;

/** JSON insignificant whitespace. */
export function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Decodes and parses `b[s..e)`; a symbol says why it could not. */
export function parseSlice(b: Uint8Array, s: number, e: number): unknown {
  const bytes = b.subarray(s, e);
  if (!isUtf8(bytes)) return NOT_UTF8;
  try {
    return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8'));
  } catch {
    return NOT_JSON;
  }
}

/**
 * Finds the byte boundaries of JSON values across chunks (string, escape and depth state only);
 * subclasses walk the structure between values and parse each value's slice.
 */
export abstract class JsonStream implements RecordValidator {
  protected readonly tally: Tally;
  protected dead = false;
  /** NDJSON: a line break inside a value is an error rather than whitespace. */
  protected lineMode = false;
  private done = false;
  private readonly carry = new Carry();
  private bom = 0;
  private kind = NONE;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private start = 0;
  private pos = 0;
  private discard = false;

  constructor(
    fields: readonly SchemaField[],
    protected readonly limits: Limits,
  ) {
    this.tally = new Tally(fields, limits.maxErrors);
  }

  /** Handles byte `c` at `i` outside any value; returns false when it began a value at `i`. */
  protected abstract structural(c: number, i: number): boolean;
  /** Receives a complete value `b[s..e)`; `s` is -1 when it exceeded maxRecordBytes and was dropped. */
  protected abstract onValue(b: Uint8Array, s: number, e: number): void;
  /** Row to blame for a structural error in the current state. */
  protected abstract here(): number;
  /** Checks the structure is complete once the input has ended. */
  protected abstract end(): void;

  push(chunk: Uint8Array): void {
    if (this.done) throw new Error('validator already finished');
    if (this.dead || chunk.length === 0) return;
    const buf = this.carry.join(chunk);
    this.scan(buf);
    const n = buf.length;
    if (this.dead || this.kind === NONE) {
      this.pos = 0;
      this.carry.keep(buf, n);
      return;
    }
    if (!this.discard && n - this.start > this.limits.maxRecordBytes) this.discard = true;
    // Past the limit only the scan state is kept, so memory stays bounded.
    const from = this.discard ? n : this.start;
    this.start -= from;
    this.pos = n - from;
    this.carry.keep(buf, from);
  }

  finish(): QualityReport {
    if (this.done) throw new Error('validator already finished');
    this.done = true;
    if (!this.dead) {
      const buf = this.carry.join(EMPTY);
      if (this.kind === LITERAL) this.complete(buf, buf.length);
      else if (this.kind === NESTED) this.fail(this.here(), TRUNCATED);
      if (!this.dead) this.end();
    }
    return this.tally.report();
  }

  /** True while a value is being captured. */
  protected get capturing(): boolean {
    return this.kind !== NONE;
  }

  /** Starts capturing the value whose first byte `c` is at `i`. */
  protected begin(c: number, i: number): void {
    if (ENDS_LITERAL[c] === 1 && c !== QUOTE && c !== LBRACE && c !== LBRACKET) return this.fail(this.here(), MALFORMED);
    this.kind = c === QUOTE || c === LBRACE || c === LBRACKET ? NESTED : LITERAL;
    this.start = i;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
  }

  /** Records an error and stops: nothing after a structural error can be trusted. */
  protected fail(row: number, reason: string): void {
    this.tally.issue(row, undefined, reason);
    this.dead = true;
  }

  private scan(buf: Uint8Array): void {
    const n = buf.length;
    let i = this.pos;
    while (i < n && !this.dead) {
      if (this.kind !== NONE) {
        i = this.capture(buf, i);
        continue;
      }
      const c = buf[i]!;
      if (this.bom < 3) {
        // A leading byte-order mark is skipped; any other start ends the check.
        if (c === BOM[this.bom]) {
          this.bom++;
          i++;
          continue;
        }
        if (this.bom > 0) return this.fail(0, BAD_UTF8);
        this.bom = 3;
      }
      if (this.structural(c, i)) i++;
    }
    this.pos = i;
  }

  /** Scans the current value from `i`; returns where scanning stopped. */
  private capture(buf: Uint8Array, from: number): number {
    const n = buf.length;
    let i = from;
    if (this.kind === LITERAL) {
      while (i < n && ENDS_LITERAL[buf[i]!] === 0) i++;
      if (i < n) this.complete(buf, i);
      return i;
    }
    let depth = this.depth;
    let inString = this.inString;
    let escaped = this.escaped;
    let end = -1;
    while (i < n) {
      let c = buf[i]!;
      if (inString) {
        if (escaped) {
          escaped = false;
          i++;
          continue;
        }
        while (c !== QUOTE && c !== BACKSLASH && c >= 0x20) {
          if (++i === n) break;
          c = buf[i]!;
        }
        if (i === n) break;
        i++;
        if (c === BACKSLASH) {
          escaped = true;
        } else if (c !== QUOTE) {
          // Raw control characters (line breaks included) are never valid inside a JSON string.
          this.fail(this.here(), MALFORMED);
          return n;
        } else {
          inString = false;
          if (depth === 0) {
            end = i;
            break;
          }
        }
        continue;
      }
      i++;
      if (c === QUOTE) inString = true;
      else if (c === LBRACE || c === LBRACKET) depth++;
      else if (c === RBRACE || c === RBRACKET) {
        if (--depth === 0) {
          end = i;
          break;
        }
      } else if (c === LF && this.lineMode) {
        this.fail(this.here(), MALFORMED);
        return n;
      }
    }
    this.depth = depth;
    this.inString = inString;
    this.escaped = escaped;
    if (end >= 0) this.complete(buf, end);
    return i;
  }

  private complete(buf: Uint8Array, end: number): void {
    const s = this.discard || end - this.start > this.limits.maxRecordBytes ? -1 : this.start;
    this.kind = NONE;
    this.discard = false;
    this.onValue(buf, s, end);
  }
}
