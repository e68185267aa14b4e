import { CR, LF, QUOTE } from '../ingest/validation/bytes.ts';
import { Carry } from '../ingest/validation/carry.ts';
import { DelimiterSniffer, bomLength } from '../ingest/validation/delimiter.ts';

// Scanner states; the scan can stop in any of them at a chunk's end and resume.
const CELL_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_SEEN = 3;

/** Cell kinds: plain bytes, quoted without `""` inside, quoted needing unescaping. */
export const PLAIN = 0;
export const QUOTED_CLEAN = 1;
export const QUOTED_ESCAPED = 2;

const EMPTY = new Uint8Array(0);
const decoder = new TextDecoder();

/**
 * RFC 4180 CSV record scanner over bytes, as the ingest validator scans: `,` or `;` picked from the header line,
 * quotes with `""`, embedded line breaks, CRLF or LF, a UTF-8 BOM. A record's cells are raw byte ranges
 * (`starts[k]..ends[k]`, quotes included, delimiter and line break excluded), handed to the subclass when the
 * record ends; only the unfinished last record is carried to the next chunk.
 */
export abstract class CsvScanner {
  /** The delimiter byte once the header line has been seen, else -1. */
  protected delim = -1;
  /** The header line ends with CRLF. */
  protected crlf = false;
  /** The input starts with a UTF-8 BOM. */
  protected bom = false;
  /** Cells of the current record. */
  protected cells = 0;
  protected starts = new Int32Array(64);
  protected ends = new Int32Array(64);
  protected kinds = new Uint8Array(64);
  /** Header width; 0 until the header is read. */
  protected width = 0;
  /** The value of the last cell asked for with value(): bytes vb[vs..ve). */
  protected vb: Uint8Array = EMPTY;
  protected vs = 0;
  protected ve = 0;

  private readonly carry = new Carry();
  private readonly stop = new Uint8Array(256);
  private scratch = new Uint8Array(256);
  private readonly sniffer = new DelimiterSniffer();
  private state = CELL_START;
  private pos = 0;
  private recStart = 0;
  private cellStart = 0;
  private kind = PLAIN;
  private quoteEnd = 0;
  /** Blank lines held back in a one-column file: they are rows only if a record follows. */
  private blanks = 0;
  private ended = false;

  /** Called once with the header's names. */
  protected abstract onHeader(buf: Uint8Array, names: string[]): void;
  /** Called for each data record; its cells are in starts/ends/kinds. */
  protected abstract onRecord(buf: Uint8Array): void;

  /** Scans the next chunk; the chunk may be reused by the caller once this returns. */
  protected feed(chunk: Uint8Array): void {
    if (this.ended) throw new Error('already finished');
    if (chunk.length === 0) return;
    const buf = this.carry.join(chunk);
    if (this.delim < 0 && !this.detect(buf, false)) {
      this.carry.keep(buf, 0);
      return;
    }
    this.scan(buf);
    this.keepTail(buf);
  }

  /** Ends the input: scans what is carried and closes a last record without a line break. */
  protected end(): void {
    if (this.ended) throw new Error('already finished');
    this.ended = true;
    const buf = this.carry.join(EMPTY);
    if (this.delim < 0) {
      if (buf.length === 0) return;
      this.detect(buf, true);
    }
    this.scan(buf);
    this.endLastRecord(buf);
    this.carry.keep(EMPTY, 0);
  }

  /** Sets vb/vs/ve to the value of cell k (quotes removed, `""` unescaped); empty when the record is short. */
  protected value(buf: Uint8Array, k: number): void {
    if (k >= this.cells || k < 0) {
      this.vb = buf;
      this.vs = this.ve = 0;
      return;
    }
    const s = this.starts[k]!;
    const e = this.ends[k]!;
    const kind = this.kinds[k]!;
    this.vb = buf;
    if (kind === PLAIN) {
      this.vs = s;
      this.ve = e;
    } else if (kind === QUOTED_CLEAN) {
      this.vs = s + 1;
      this.ve = e - 1;
    } else {
      this.unescape(buf, s + 1, e);
    }
  }

  /** Copies b[s..e) without its quotes into the scratch buffer: `""` is a quote, a lone quote is dropped. */
  private unescape(b: Uint8Array, s: number, e: number): void {
    if (this.scratch.length < e - s) this.scratch = new Uint8Array(Math.max(e - s, this.scratch.length * 2));
    const out = this.scratch;
    let w = 0;
    for (let i = s; i < e; i++) {
      const c = b[i]!;
      if (c === QUOTE) {
        if (b[i + 1] === QUOTE && i + 1 < e) out[w++] = QUOTE;
        else continue;
        i++;
      } else {
        out[w++] = c;
      }
    }
    this.vb = out;
    this.vs = 0;
    this.ve = w;
  }

  /** Sets the delimiter and the first record once the header line is complete; true once decided. */
  private detect(buf: Uint8Array, atEnd: boolean): boolean {
    const delim = this.sniffer.sniff(buf, atEnd);
    if (delim === undefined) return false;
    this.delim = delim;
    this.stop[this.delim] = this.stop[LF] = 1;
    this.bom = bomLength(buf) > 0;
    this.pos = this.recStart = bomLength(buf);
    return true;
  }

  /** Walks the bytes from `pos`, ending cells and records; stops at the buffer's end in any state. */
  private scan(buf: Uint8Array): void {
    const n = buf.length;
    const d = this.delim;
    const stop = this.stop;
    let i = this.pos;
    let state = this.state;
    let cellStart = this.cellStart;
    let kind = this.kind;
    while (i < n) {
      if (state === CELL_START) {
        cellStart = i;
        if (buf[i] === QUOTE) {
          state = QUOTED;
          kind = QUOTED_CLEAN;
          i++;
          continue;
        }
        state = UNQUOTED;
        kind = PLAIN;
      }
      if (state === UNQUOTED) {
        // A stray quote in an unquoted cell is data, so only the delimiter and LF stop the run.
        while (i < n && stop[buf[i]!] === 0) i++;
        if (i === n) break;
        if (buf[i] === d) {
          this.cell(cellStart, i++, kind);
        } else {
          this.cell(cellStart, i > cellStart && buf[i - 1] === CR ? i - 1 : i, kind);
          this.endRecord(buf, ++i);
        }
        state = CELL_START;
        continue;
      }
      if (state === QUOTED) {
        const q = buf.indexOf(QUOTE, i);
        if (q < 0) {
          i = n;
          break;
        }
        i = q + 1;
        this.quoteEnd = i;
        state = QUOTE_SEEN;
        continue;
      }
      const c = buf[i]!;
      if (c === QUOTE) {
        // `""` inside a quoted cell is an escaped quote.
        kind = QUOTED_ESCAPED;
        state = QUOTED;
        i++;
      } else if (c === d) {
        this.cell(cellStart, i++, kind);
        state = CELL_START;
      } else if (c === LF || (c === CR && buf[i + 1] === LF)) {
        this.cell(cellStart, i, kind);
        i += c === CR ? 2 : 1;
        this.endRecord(buf, i);
        state = CELL_START;
      } else if (c === CR && i + 1 === n) {
        // Wait for the next chunk to tell CRLF from a stray CR.
        break;
      } else {
        // Text after a closing quote: the cell runs on unquoted, and its value needs the careful unescape.
        kind = QUOTED_ESCAPED;
        state = UNQUOTED;
      }
    }
    this.pos = i;
    this.state = state;
    this.cellStart = cellStart;
    this.kind = kind;
  }

  private cell(s: number, e: number, kind: number): void {
    const k = this.cells++;
    if (k === this.starts.length) this.grow();
    this.starts[k] = s;
    this.ends[k] = e;
    this.kinds[k] = kind;
  }

  private grow(): void {
    const n = this.starts.length * 2;
    const starts = new Int32Array(n);
    const ends = new Int32Array(n);
    const kinds = new Uint8Array(n);
    starts.set(this.starts);
    ends.set(this.ends);
    kinds.set(this.kinds);
    this.starts = starts;
    this.ends = ends;
    this.kinds = kinds;
  }

  /** Closes the record ending at `end` (exclusive, line break included): header, blank line, or data row. */
  private endRecord(buf: Uint8Array, end: number): void {
    if (this.width === 0) {
      this.crlf = end - 2 >= this.recStart && buf[end - 1] === LF && buf[end - 2] === CR;
      const names: string[] = [];
      for (let k = 0; k < this.cells; k++) {
        this.value(buf, k);
        names.push(decoder.decode(this.vb.subarray(this.vs, this.ve)));
      }
      this.width = this.cells;
      this.onHeader(buf, names);
    } else if (this.cells === 1 && this.kinds[0] === PLAIN && this.starts[0] === this.ends[0]) {
      // A blank line: no data in a file of several columns; in a one-column file, an empty value unless trailing.
      if (this.width === 1) this.blanks++;
    } else {
      if (this.blanks > 0) this.flushBlanks(buf);
      this.onRecord(buf);
    }
    this.cells = 0;
    this.recStart = end;
  }

  private flushBlanks(buf: Uint8Array): void {
    const [s, e, kind, cells] = [this.starts[0]!, this.ends[0]!, this.kinds[0]!, this.cells];
    this.cells = 1;
    this.kinds[0] = PLAIN;
    for (; this.blanks > 0; this.blanks--) {
      this.starts[0] = this.ends[0] = this.recStart;
      this.onRecord(buf);
    }
    this.starts[0] = s;
    this.ends[0] = e;
    this.kinds[0] = kind;
    this.cells = cells;
  }

  /** Ends a last record that has no line break after it. */
  private endLastRecord(buf: Uint8Array): void {
    const n = buf.length;
    switch (this.state) {
      case UNQUOTED:
        this.cell(this.cellStart, n > this.cellStart && buf[n - 1] === CR ? n - 1 : n, this.kind);
        break;
      case QUOTE_SEEN:
        this.cell(this.cellStart, this.quoteEnd, this.kind);
        break;
      case QUOTED:
        // Unterminated: the rest of the input is the cell's value.
        this.cell(this.cellStart, n, QUOTED_ESCAPED);
        break;
      default:
        if (this.cells === 0) return;
        this.cell(n, n, PLAIN);
    }
    this.state = CELL_START;
    this.endRecord(buf, n);
  }

  /** Carries the unfinished record, rebasing every position into it. */
  private keepTail(buf: Uint8Array): void {
    const from = this.recStart;
    this.pos -= from;
    this.recStart = 0;
    this.cellStart -= from;
    this.quoteEnd -= from;
    for (let k = 0; k < this.cells; k++) {
      this.starts[k] = this.starts[k]! - from;
      this.ends[k] = this.ends[k]! - from;
    }
    this.carry.keep(buf, from);
  }
}
