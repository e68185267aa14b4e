import type { QualityIssue, QualityReport, SchemaField } from '../../../../schemas/dataset.ts';

const FORMULA_ROWS_LISTED = 20;

/** Counts records, issues (storing only the first `maxErrors`) and empty cells per schema field. */
export class Tally {
  rows = 0;
  errorCount = 0;
  readonly errors: QualityIssue[] = [];
  /** Cells a spreadsheet would run as formulas, and the first rows holding one. */
  formulaCount = 0;
  readonly formulaRows: number[] = [];
  /** Empty/null cells, indexed like the schema fields. */
  readonly empties: Float64Array;

  constructor(
    readonly fields: readonly SchemaField[],
    private readonly maxErrors: number,
  ) {
    this.empties = new Float64Array(fields.length);
  }

  /** Records one issue; beyond the cap it is only counted. */
  issue(row: number, field: string | undefined, reason: string): void {
    this.errorCount++;
    if (this.errors.length < this.maxErrors) this.errors.push(field === undefined ? { row, reason } : { row, field, reason });
  }

  /** Records a cell that would run as a spreadsheet formula (a warning: the file stays valid). */
  formula(row: number): void {
    this.formulaCount++;
    if (this.formulaRows.length < FORMULA_ROWS_LISTED && this.formulaRows[this.formulaRows.length - 1] !== row) this.formulaRows.push(row);
  }

  /** The report in the shape of QualityReportSchema. */
  report(): QualityReport {
    const emptyCounts: Record<string, number> = {};
    this.fields.forEach((f, k) => {
      emptyCounts[f.name] = this.empties[k] ?? 0;
    });
    return {
      rows: this.rows,
      errorCount: this.errorCount,
      errors: this.errors.slice(),
      truncated: this.errorCount > this.errors.length,
      emptyCounts,
      ...(this.formulaCount > 0 ? { spreadsheetFormulas: { count: this.formulaCount, rows: this.formulaRows.slice() } } : {}),
    };
  }
}
