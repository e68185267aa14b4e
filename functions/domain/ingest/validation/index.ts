import type { DatasetFormat, SchemaField } from '../../../../schemas/dataset.ts';
import { CsvValidator } from './csv.ts';
import { FileValidator } from './file.ts';
import { GeoJsonValidator } from './geojson.ts';
import { JsonValidator } from './json.ts';
import type { RecordValidator } from './types.ts';

export type { RecordValidator } from './types.ts';

/** Options of createValidator. */
export interface ValidatorOptions {
  /** Issues kept in the report (all are counted); default 100. */
  maxErrors?: number;
  /** Longest record carried between chunks; default 4 MiB. */
  maxRecordBytes?: number;
}

/** Creates a streaming, constant-memory validator of an upload in `format` against the schema `fields`. */
export function createValidator(format: DatasetFormat, fields: readonly SchemaField[], options: ValidatorOptions = {}): RecordValidator {
  const limits = { maxErrors: options.maxErrors ?? 100, maxRecordBytes: options.maxRecordBytes ?? 4 * 1024 * 1024 };
  if (!Number.isInteger(limits.maxErrors) || limits.maxErrors < 0) throw new RangeError('maxErrors must be a non-negative integer');
  if (!Number.isInteger(limits.maxRecordBytes) || limits.maxRecordBytes < 1) throw new RangeError('maxRecordBytes must be a positive integer');
  switch (format) {
    case 'csv':
      return new CsvValidator(fields, limits);
    case 'json':
      return new JsonValidator(fields, limits);
    case 'geojson':
      return new GeoJsonValidator(fields, limits);
    case 'file':
      return new FileValidator();
  }
}
