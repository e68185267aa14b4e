import type { SchemaField } from '../../../../schemas/dataset.ts';
import { REASON, REQUIRED, TYPE_CODE } from './fields.ts';
import { checkJsonValue } from './json-values.ts';
import type { Tally } from './report.ts';

/** A plain JSON object (not null, not an array). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Validates parsed JSON objects (records, feature properties) against the schema fields. */
export class RecordChecker {
  private readonly types: Uint8Array;
  private readonly known: Set<string>;

  constructor(
    private readonly fields: readonly SchemaField[],
    private readonly tally: Tally,
  ) {
    this.types = Uint8Array.from(fields, (f) => TYPE_CODE[f.type]);
    this.known = new Set(fields.map((f) => f.name));
  }

  /** Checks a JSON record, which must be an object. */
  checkRecord(value: unknown, row: number): void {
    if (isObject(value)) this.checkProperties(value, row);
    else this.tally.issue(row, undefined, 'record is not an object');
  }

  /** Checks each schema field's value (null or absent counts as empty) and flags unknown properties. */
  checkProperties(obj: Record<string, unknown>, row: number): void {
    const empties = this.tally.empties;
    for (let k = 0; k < this.fields.length; k++) {
      const f = this.fields[k]!;
      const v = Object.hasOwn(obj, f.name) ? obj[f.name] : undefined;
      if (v === undefined || v === null) {
        empties[k] = empties[k]! + 1;
        if (f.required === true) this.tally.issue(row, f.name, REQUIRED);
      } else if (!checkJsonValue(this.types[k]!, v)) {
        this.tally.issue(row, f.name, REASON[this.types[k]!]!);
      }
    }
    for (const key of Object.keys(obj)) if (!this.known.has(key)) this.tally.issue(row, key, 'property not in schema');
  }
}
