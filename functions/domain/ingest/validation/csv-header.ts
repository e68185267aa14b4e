import type { SchemaField } from '../../../../schemas/dataset.ts';
import { T_IGNORED, TYPE_CODE } from './fields.ts';
import type { Tally } from './report.ts';

/** How each CSV header column maps onto the schema, as flat arrays for the per-cell loop. */
export interface ColumnPlan {
  readonly names: readonly string[];
  /** Type code per column; T_IGNORED for columns outside the schema. */
  readonly type: Uint8Array;
  readonly required: Uint8Array;
  /** Index of the schema field per column, -1 when none. */
  readonly field: Int32Array;
}

const decoder = new TextDecoder();
const QUOTE = 0x22;

/** Text of the cell `b[s..e)`; a quoted cell (opening quote at s-1) has its `""` unescaped. */
export function cellText(b: Uint8Array, s: number, e: number): string {
  const text = decoder.decode(b.subarray(s, e));
  return s > 0 && b[s - 1] === QUOTE ? text.replaceAll('""', '"') : text;
}

/** Maps header names to schema fields and reports missing, unknown and duplicate columns at row 0. */
export function planColumns(names: readonly string[], fields: readonly SchemaField[], tally: Tally): ColumnPlan {
  const index = new Map(fields.map((f, k) => [f.name, k]));
  const type = new Uint8Array(names.length).fill(T_IGNORED);
  const required = new Uint8Array(names.length);
  const field = new Int32Array(names.length).fill(-1);
  const seen = new Set<string>();
  const problems: Array<[string, string]> = [];
  names.forEach((name, col) => {
    const k = index.get(name);
    if (seen.has(name)) problems.push([name, 'duplicate column in header']);
    else if (k === undefined) problems.push([name, 'column not in schema']);
    else {
      const f = fields[k]!;
      type[col] = TYPE_CODE[f.type];
      required[col] = f.required === true ? 1 : 0;
      field[col] = k;
    }
    seen.add(name);
  });
  for (const f of fields) if (!seen.has(f.name)) tally.issue(0, f.name, 'column missing from header');
  for (const [name, reason] of problems) tally.issue(0, name, reason);
  return { names, type, required, field };
}
