import type { SchemaField } from '../../../../schemas/dataset.ts';
import { COMMA, LBRACE, LBRACKET, LF, RBRACKET } from './bytes.ts';
import { BAD_UTF8, isSpace, JsonStream, MALFORMED, NOT_JSON, NOT_UTF8, parseSlice, TRUNCATED } from './json-scan.ts';
import { RecordChecker } from './record.ts';
import type { Limits } from './types.ts';

// Where the walk is between records.
const DETECT = 0;
const ARRAY_FIRST = 1;
const ARRAY_NEXT = 2;
const ARRAY_AFTER = 3;
const ARRAY_END = 4;
const LINE = 5;
const LINE_AFTER = 6;

/** JSON validator: a top-level array of objects, or NDJSON, told apart by the first byte. */
export class JsonValidator extends JsonStream {
  private at = DETECT;
  private readonly checker: RecordChecker;

  constructor(fields: readonly SchemaField[], limits: Limits) {
    super(fields, limits);
    this.checker = new RecordChecker(fields, this.tally);
  }

  protected structural(c: number, i: number): boolean {
    switch (this.at) {
      case DETECT:
        if (isSpace(c)) return true;
        if (c === LBRACKET) {
          this.at = ARRAY_FIRST;
          return true;
        }
        if (c === LBRACE) {
          this.lineMode = true;
          return this.record(c, i, LINE_AFTER);
        }
        this.fail(0, 'expected a JSON array or NDJSON objects');
        return true;
      case ARRAY_FIRST:
        if (isSpace(c)) return true;
        if (c !== RBRACKET) return this.record(c, i, ARRAY_AFTER);
        this.at = ARRAY_END;
        return true;
      case ARRAY_NEXT:
        if (isSpace(c)) return true;
        if (c !== RBRACKET) return this.record(c, i, ARRAY_AFTER);
        this.fail(this.here(), MALFORMED);
        return true;
      case ARRAY_AFTER:
        if (c === COMMA) this.at = ARRAY_NEXT;
        else if (c === RBRACKET) this.at = ARRAY_END;
        else if (!isSpace(c)) this.fail(this.here(), MALFORMED);
        return true;
      case ARRAY_END:
        if (!isSpace(c)) this.fail(0, 'unexpected content after the JSON array');
        return true;
      case LINE:
        return isSpace(c) || this.record(c, i, LINE_AFTER);
      default:
        if (c === LF) this.at = LINE;
        else if (!isSpace(c)) this.fail(this.here(), 'expected one record per line');
        return true;
    }
  }

  protected onValue(b: Uint8Array, s: number, e: number): void {
    const row = this.tally.rows + 1;
    if (s < 0) {
      this.tally.rows = row;
      this.tally.issue(row, undefined, `record exceeds ${this.limits.maxRecordBytes} bytes`);
      return;
    }
    const value = parseSlice(b, s, e);
    if (value === NOT_JSON) return this.fail(row, MALFORMED);
    this.tally.rows = row;
    if (value === NOT_UTF8) this.tally.issue(row, undefined, BAD_UTF8);
    else this.checker.checkRecord(value, row);
  }

  protected here(): number {
    if (this.at === DETECT || this.at === ARRAY_END) return 0;
    // Junk after a record on its own line belongs to that record.
    return this.at === LINE_AFTER && !this.capturing ? this.tally.rows : this.tally.rows + 1;
  }

  protected end(): void {
    if (this.at === DETECT) this.fail(0, 'empty file');
    else if (this.at < ARRAY_END) this.fail(this.here(), TRUNCATED);
  }

  private record(c: number, i: number, next: number): boolean {
    this.at = next;
    this.begin(c, i);
    return false;
  }
}
