import type { SchemaField } from '../../../../schemas/dataset.ts';
import { checkFeature } from './feature.ts';
import { COLON, COMMA, LBRACE, LBRACKET, QUOTE, RBRACE, RBRACKET } from './bytes.ts';
import { BAD_UTF8, isSpace, JsonStream, MALFORMED, NOT_JSON, NOT_UTF8, parseSlice, TRUNCATED } from './json-scan.ts';
import { RecordChecker } from './record.ts';
import type { Limits } from './types.ts';

// Where the walk is in `{ "key": value, ..., "features": [ feature, ... ] }`.
const START = 0;
const KEY_FIRST = 1;
const KEY = 2;
const COLON_NEXT = 3;
const VALUE = 4;
const MEMBER_AFTER = 5;
const FEATURE_FIRST = 6;
const FEATURE_NEXT = 7;
const FEATURE_AFTER = 8;
const END = 9;

/** GeoJSON FeatureCollection validator: each feature (depth 2 under `features`) is one row. */
export class GeoJsonValidator extends JsonStream {
  private at = START;
  private key = '';
  private type: unknown = undefined;
  private sawFeatures = false;
  private readonly checker: RecordChecker;

  constructor(fields: readonly SchemaField[], limits: Limits) {
    super(fields, limits);
    this.checker = new RecordChecker(fields, this.tally);
  }

  protected structural(c: number, i: number): boolean {
    if (isSpace(c)) return true;
    switch (this.at) {
      case START:
        if (c === LBRACE) this.at = KEY_FIRST;
        else this.fail(0, 'expected a GeoJSON FeatureCollection object');
        return true;
      case KEY_FIRST:
      case KEY:
        if (c === QUOTE) return this.value(c, i);
        if (c === RBRACE && this.at === KEY_FIRST) this.at = END;
        else this.fail(0, MALFORMED);
        return true;
      case COLON_NEXT:
        if (c === COLON) this.at = VALUE;
        else this.fail(0, MALFORMED);
        return true;
      case VALUE:
        if (this.key !== 'features') return this.value(c, i);
        this.sawFeatures = true;
        if (c === LBRACKET) this.at = FEATURE_FIRST;
        else this.fail(0, 'features must be an array');
        return true;
      case MEMBER_AFTER:
        if (c === COMMA) this.at = KEY;
        else if (c === RBRACE) this.at = END;
        else this.fail(0, MALFORMED);
        return true;
      case FEATURE_FIRST:
      case FEATURE_NEXT:
        if (c !== RBRACKET) return this.value(c, i);
        if (this.at === FEATURE_FIRST) this.at = MEMBER_AFTER;
        else this.fail(this.here(), MALFORMED);
        return true;
      case FEATURE_AFTER:
        if (c === COMMA) this.at = FEATURE_NEXT;
        else if (c === RBRACKET) this.at = MEMBER_AFTER;
        else this.fail(this.here(), MALFORMED);
        return true;
      default:
        this.fail(0, 'unexpected content after the FeatureCollection');
        return true;
    }
  }

  protected onValue(b: Uint8Array, s: number, e: number): void {
    if (this.at === KEY_FIRST || this.at === KEY) return this.onKey(b, s, e);
    if (this.at === VALUE) return this.onMember(b, s, e);
    const row = this.tally.rows + 1;
    this.at = FEATURE_AFTER;
    if (s < 0) {
      this.tally.rows = row;
      this.tally.issue(row, undefined, `feature exceeds ${this.limits.maxRecordBytes} bytes`);
      return;
    }
    const value = parseSlice(b, s, e);
    if (value === NOT_JSON) return this.fail(row, MALFORMED);
    this.tally.rows = row;
    if (value === NOT_UTF8) this.tally.issue(row, undefined, BAD_UTF8);
    else checkFeature(value, row, this.tally, this.checker);
  }

  protected here(): number {
    const inFeatures = this.at === FEATURE_FIRST || this.at === FEATURE_NEXT || this.at === FEATURE_AFTER;
    return inFeatures ? this.tally.rows + 1 : 0;
  }

  protected end(): void {
    if (this.at === START) return this.fail(0, 'empty file');
    if (this.at !== END) return this.fail(this.here(), TRUNCATED);
    if (this.type !== 'FeatureCollection') this.tally.issue(0, undefined, 'type must be "FeatureCollection"');
    if (!this.sawFeatures) this.tally.issue(0, undefined, 'features missing');
  }

  private value(c: number, i: number): boolean {
    this.begin(c, i);
    return false;
  }

  private onKey(b: Uint8Array, s: number, e: number): void {
    const key = s < 0 ? '' : parseSlice(b, s, e);
    if (typeof key !== 'string') return this.fail(0, key === NOT_UTF8 ? BAD_UTF8 : MALFORMED);
    this.key = key;
    this.at = COLON_NEXT;
  }

  private onMember(b: Uint8Array, s: number, e: number): void {
    // Members other than `features` are only parsed to check their syntax (and `type`'s value).
    const value = s < 0 ? undefined : parseSlice(b, s, e);
    if (value === NOT_JSON || value === NOT_UTF8) return this.fail(0, value === NOT_JSON ? MALFORMED : BAD_UTF8);
    if (this.key === 'type') this.type = value;
    this.at = MEMBER_AFTER;
  }
}
