import type { QualityIssue, QualityReport, SchemaField } from '../../../../schemas/dataset.ts';

/** Counts records, issues (storing only the first `maxErrors`) and empty cells per schema field. */
export class Tally {
  rows = 0;
  errorCount = 0;
  readonly errors: QualityIssue[] = [];
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
    };
  }
}
