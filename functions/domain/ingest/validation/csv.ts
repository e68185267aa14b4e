import type { QualityReport, SchemaField } from '../../../../schemas/dataset.ts';
import { CR, LF, MINUS, PLUS, QUOTE, SEMICOLON } from './bytes.ts';
import { Carry } from './carry.ts';
import { DelimiterSniffer, bomLength } from './delimiter.ts';
import { cellText, planColumns, type ColumnPlan } from './csv-header.ts';
import { REASON, REQUIRED, T_BOOLEAN, T_DATE, T_DATETIME, T_GEOPOINT, T_IGNORED, T_INTEGER, T_NUMBER, T_STRING } from './fields.ts';
import { Tally } from './report.ts';
import type { Limits, RecordValidator } from './types.ts';
import { Utf8Checker } from './utf8.ts';
import { isBoolean, isDate, isDatetime, isGeopoint, isInteger, isNumber } from './values.ts';

// Scanner states; the scan can stop in any of them at a chunk's end and resume.
const CELL_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_SEEN = 3;

const BARE_QUOTE = 'quote inside an unquoted cell';
const AFTER_QUOTE = 'unexpected character after a closing quote';
const UNTERMINATED = 'unterminated quoted cell';
const EMPTY = new Uint8Array(0);
/** First bytes that make a spreadsheet run a cell as a formula: = + - @ tab CR (+ and - only when the cell is not a plain number). */
const FORMULA_START = new Uint8Array(256);
for (const c of '=+-@\t\r') FORMULA_START[c.charCodeAt(0)] = 1;

/** RFC 4180 CSV validator scanning bytes: cells are byte ranges, checked without creating strings. */
export class CsvValidator implements RecordValidator {
  private readonly tally: Tally;
  private readonly carry = new Carry();
  private readonly utf8 = new Utf8Checker();
  private delim = -1;
  private decimalComma = false;
  /** 1 for the bytes that end an unquoted run: delimiter, LF, quote. */
  private readonly stop = new Uint8Array(256);
  // Header-line search used to pick the delimiter.
  private readonly sniffer = new DelimiterSniffer();
  // Scanner state; positions index the buffer being scanned and are rebased when carried.
  private state = CELL_START;
  private pos = 0;
  private recStart = 0;
  private cellStart = 0;
  private quoteEnd = 0;
  private cells = 0;
  private starts = new Int32Array(64);
  private ends = new Int32Array(64);
  private cap = 0x7fffffff;
  private quoteCell = -1;
  private quoteReason = '';
  private discard = false;
  private badAt = Infinity;
  private plan: ColumnPlan | null = null;
  private blanks = 0;
  private dead = false;
  private done = false;

  constructor(
    fields: readonly SchemaField[],
    private readonly limits: Limits,
  ) {
    this.tally = new Tally(fields, limits.maxErrors);
  }

  push(chunk: Uint8Array): void {
    if (this.done) throw new Error('validator already finished');
    if (this.dead || chunk.length === 0) return;
    const base = this.carry.length;
    const bad = this.utf8.check(chunk);
    const buf = this.carry.join(chunk);
    if (bad >= 0) this.badAt = base + bad;
    if (this.delim < 0 && !this.detect(buf, false)) {
      if (buf.length > this.limits.maxRecordBytes) return this.fatalHeader();
      this.carry.keep(buf, 0);
      return;
    }
    this.scan(buf);
    this.keepTail(buf);
  }

  finish(): QualityReport {
    if (this.done) throw new Error('validator already finished');
    this.done = true;
    if (!this.dead) {
      const buf = this.carry.join(EMPTY);
      // A character cut off by the end of the input belongs to the last record.
      if (this.utf8.truncated()) this.badAt = Math.min(this.badAt, buf.length - 1);
      if (this.delim < 0) this.detect(buf, true);
      this.scan(buf);
      this.endLastRecord(buf);
      if (this.plan === null && !this.dead) this.tally.issue(0, undefined, 'missing header row');
    }
    if (this.badAt !== Infinity) this.tally.issue(0, undefined, 'invalid UTF-8');
    return this.tally.report();
  }

  /** Sets the delimiter and the first record once the header line is complete; true once decided. */
  private detect(buf: Uint8Array, atEnd: boolean): boolean {
    const delim = this.sniffer.sniff(buf, atEnd);
    if (delim === undefined) return false;
    this.delim = delim;
    this.decimalComma = this.delim === SEMICOLON;
    this.stop[this.delim] = this.stop[LF] = this.stop[QUOTE] = 1;
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
    while (i < n) {
      if (state === CELL_START) {
        if (buf[i] === QUOTE) {
          state = QUOTED;
          cellStart = ++i;
          continue;
        }
        state = UNQUOTED;
        cellStart = i;
      }
      if (state === UNQUOTED) {
        while (i < n && stop[buf[i]!] === 0) i++;
        if (i === n) break;
        const c = buf[i]!;
        if (c === QUOTE) {
          this.quoteProblem(BARE_QUOTE);
          i++;
        } else if (c === d) {
          this.cell(cellStart, i++);
          state = CELL_START;
        } else {
          this.cell(cellStart, i > cellStart && buf[i - 1] === CR ? i - 1 : i);
          this.endRecord(buf, ++i);
          state = CELL_START;
          if (this.dead) return;
        }
        continue;
      }
      if (state === QUOTED) {
        while (i < n && buf[i] !== QUOTE) i++;
        if (i === n) break;
        this.quoteEnd = i++;
        state = QUOTE_SEEN;
        continue;
      }
      const c = buf[i]!;
      if (c === QUOTE) {
        // `""` inside a quoted cell is an escaped quote.
        state = QUOTED;
        i++;
      } else if (c === d) {
        this.cell(cellStart, this.quoteEnd);
        state = CELL_START;
        i++;
      } else if (c === LF || (c === CR && buf[i + 1] === LF)) {
        this.cell(cellStart, this.quoteEnd);
        i += c === CR ? 2 : 1;
        this.endRecord(buf, i);
        state = CELL_START;
        if (this.dead) return;
      } else if (c === CR && i + 1 === n) {
        // Wait for the next chunk to tell CRLF from a stray CR.
        break;
      } else {
        this.quoteProblem(AFTER_QUOTE);
        state = UNQUOTED;
      }
    }
    this.pos = i;
    this.state = state;
    this.cellStart = cellStart;
  }

  private cell(s: number, e: number): void {
    const k = this.cells++;
    if (k >= this.cap) return;
    if (k === this.starts.length) this.grow();
    this.starts[k] = s;
    this.ends[k] = e;
  }

  private grow(): void {
    const starts = new Int32Array(this.starts.length * 2);
    const ends = new Int32Array(this.ends.length * 2);
    starts.set(this.starts);
    ends.set(this.ends);
    this.starts = starts;
    this.ends = ends;
  }

  private quoteProblem(reason: string): void {
    if (this.quoteCell >= 0) return;
    this.quoteCell = this.cells;
    this.quoteReason = reason;
  }

  /** Closes the record ending at `end` (exclusive): header, deferred blank line, or data row. */
  private endRecord(buf: Uint8Array, end: number): void {
    const oversized = this.discard || end - this.recStart > this.limits.maxRecordBytes;
    const blank = !oversized && this.cells === 1 && this.starts[0] === this.recStart && this.ends[0] === this.recStart;
    if (this.plan === null) {
      this.header(buf, end, oversized);
    } else if (blank && this.quoteCell < 0) {
      // Blank lines count only if a record follows them: trailing ones are ignored.
      this.blanks++;
    } else {
      this.flushBlanks();
      const row = ++this.tally.rows;
      if (end > this.badAt) this.utf8Issue(row);
      if (this.quoteCell >= 0) this.tally.issue(row, this.plan.names[this.quoteCell], this.quoteReason);
      if (oversized) this.tally.issue(row, undefined, `record exceeds ${this.limits.maxRecordBytes} bytes`);
      else if (this.quoteReason !== UNTERMINATED) this.checkCells(buf, row, this.plan);
    }
    this.cells = 0;
    this.quoteCell = -1;
    this.quoteReason = '';
    this.discard = false;
    this.recStart = end;
  }

  private header(buf: Uint8Array, end: number, oversized: boolean): void {
    if (oversized) return this.fatalHeader();
    const names: string[] = [];
    for (let k = 0; k < this.cells; k++) names.push(cellText(buf, this.starts[k]!, this.ends[k]!));
    if (end > this.badAt) this.utf8Issue(0);
    if (this.quoteCell >= 0) this.tally.issue(0, names[this.quoteCell], this.quoteReason);
    this.plan = planColumns(names, this.tally.fields, this.tally);
    this.cap = names.length;
  }

  private checkCells(buf: Uint8Array, row: number, plan: ColumnPlan): void {
    const count = plan.type.length;
    if (this.cells !== count) {
      this.tally.issue(row, undefined, `expected ${count} cells, found ${this.cells}`);
      return;
    }
    const { type, required, field, names } = plan;
    const starts = this.starts;
    const ends = this.ends;
    const empties = this.tally.empties;
    for (let k = 0; k < count; k++) {
      const t = type[k]!;
      const s = starts[k]!;
      const e = ends[k]!;
      // Columns outside the schema are delivered too: they are checked for formulas like the rest.
      if (s !== e && FORMULA_START[buf[s]!] === 1) this.formulaCheck(buf, row, t, s, e);
      if (t === T_IGNORED) continue;
      if (s === e) {
        const f = field[k]!;
        empties[f] = empties[f]! + 1;
        if (required[k] === 1) this.tally.issue(row, names[k], REQUIRED);
      } else if (t !== T_STRING) {
        // Switching here rather than through a shared dispatcher lets V8 inline each check.
        let ok = true;
        switch (t) {
          case T_INTEGER:
            ok = isInteger(buf, s, e);
            break;
          case T_NUMBER:
            ok = isNumber(buf, s, e, this.decimalComma);
            break;
          case T_BOOLEAN:
            ok = isBoolean(buf, s, e);
            break;
          case T_DATE:
            ok = isDate(buf, s, e);
            break;
          case T_DATETIME:
            ok = isDatetime(buf, s, e);
            break;
          case T_GEOPOINT:
            ok = isGeopoint(buf, s, e);
            break;
        }
        if (!ok) this.tally.issue(row, names[k], REASON[t]!);
      }
    }
  }

  /** Counts a formula-like cell; a plain number (-3.5, +33) is not one, whatever its column. */
  private formulaCheck(buf: Uint8Array, row: number, t: number, s: number, e: number): void {
    const first = buf[s];
    const signed = first === MINUS ? s : first === PLUS && buf[s + 1] !== MINUS ? s + 1 : -1;
    if (signed >= 0 && (isNumber(buf, signed, e, this.decimalComma) || (t === T_GEOPOINT && isGeopoint(buf, s, e)))) return;
    this.tally.formula(row);
  }

  /** Counts the blank lines seen before a real record, each as a record of one empty cell. */
  private flushBlanks(): void {
    const plan = this.plan!;
    for (; this.blanks > 0; this.blanks--) {
      const row = ++this.tally.rows;
      if (plan.type.length !== 1) {
        this.tally.issue(row, undefined, `expected ${plan.type.length} cells, found 1`);
      } else if (plan.type[0] !== T_IGNORED) {
        const f = plan.field[0]!;
        this.tally.empties[f] = this.tally.empties[f]! + 1;
        if (plan.required[0] === 1) this.tally.issue(row, plan.names[0], REQUIRED);
      }
    }
  }

  /** Ends a last record that has no line break after it. */
  private endLastRecord(buf: Uint8Array): void {
    if (this.dead || this.delim < 0) return;
    const n = buf.length;
    switch (this.state) {
      case UNQUOTED:
        this.cell(this.cellStart, n > this.cellStart && buf[n - 1] === CR ? n - 1 : n);
        break;
      case QUOTE_SEEN:
        this.cell(this.cellStart, this.quoteEnd);
        break;
      case QUOTED:
        this.quoteCell = -1;
        this.quoteProblem(UNTERMINATED);
        this.cell(this.cellStart, n);
        break;
      default:
        if (this.cells === 0) return;
        this.cell(n, n);
    }
    this.endRecord(buf, n);
  }

  /** Carries the unfinished record; past maxRecordBytes only the scanner state is kept. */
  private keepTail(buf: Uint8Array): void {
    if (this.dead) return;
    const n = buf.length;
    if (!this.discard && n - this.recStart > this.limits.maxRecordBytes) this.discard = true;
    const from = this.discard ? this.pos : this.recStart;
    this.pos -= from;
    this.recStart -= from;
    this.cellStart -= from;
    this.quoteEnd -= from;
    this.badAt -= from;
    const stored = Math.min(this.cells, this.cap);
    for (let k = 0; k < stored; k++) {
      this.starts[k] = this.starts[k]! - from;
      this.ends[k] = this.ends[k]! - from;
    }
    this.carry.keep(buf, from);
  }

  private utf8Issue(row: number): void {
    this.tally.issue(row, undefined, 'invalid UTF-8');
    this.badAt = Infinity;
  }

  private fatalHeader(): void {
    this.tally.issue(0, undefined, `header row exceeds ${this.limits.maxRecordBytes} bytes`);
    this.dead = true;
    this.carry.keep(EMPTY, 0);
  }
}
