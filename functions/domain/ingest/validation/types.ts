import type { QualityReport } from '../../../../schemas/dataset.ts';

/** A validator fed an upload chunk by chunk; memory stays bounded by the longest record. */
export interface RecordValidator {
  /** Feeds the next chunk; the chunk may be reused by the caller once this returns. */
  push(chunk: Uint8Array): void;
  /** Ends the input and returns the quality report; the validator is then spent. */
  finish(): QualityReport;
}

/** Limits every format honours. */
export interface Limits {
  readonly maxErrors: number;
  readonly maxRecordBytes: number;
}
