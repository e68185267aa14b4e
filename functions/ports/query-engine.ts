import type { Readable } from 'node:stream';
import type { FieldType } from '../../schemas/dataset.ts';

/** One typed column of a columnar copy, as the Table Schema declares it. */
export interface ColumnSpec {
  readonly name: string;
  readonly type: FieldType;
  readonly personal?: boolean;
}

/** The tabular formats that get a columnar copy. */
export type TabularFormat = 'csv' | 'json' | 'geojson';

/** A columnar copy in storage; the engine caches its bytes locally by ETag. */
export interface ParquetObject {
  readonly key: string;
}

/** SQL text built from our own words and schema names only, with every caller value as a bound parameter. */
export interface CompiledQuery {
  /** Reads the table as `read_parquet($1)`: parameter 1 is always the local file, bound by the engine. */
  readonly sql: string;
  /** Parameters 2.. in order: strings, numbers or booleans, cast in the SQL text to the column's type. */
  readonly params: readonly (string | number | boolean)[];
  /** The answer's column names in order, for engines that do not keep a name's case (Athena lower-cases them). */
  readonly outputs?: readonly string[];
}

/** Rows of an answer, JSON-ready (dates as ISO strings, geopoints as `{lon, lat}`). */
export interface QueryRows {
  readonly columns: readonly string[];
  readonly rows: readonly Record<string, unknown>[];
}

/** Formats an export is written in. */
export type ExportFormat = 'csv' | 'ndjson' | 'parquet';

/** The SQL types caller values are bound as. */
export type SqlType = 'VARCHAR' | 'BIGINT' | 'DOUBLE' | 'BOOLEAN' | 'DATE' | 'TIMESTAMPTZ';

/** What differs between the engines' SQL: how a statement names its table and types a bound value. */
export interface SqlDialect {
  /** The table expression every statement reads. */
  readonly from: string;
  /** The column of that table numbering its rows in file order: the last key of every page order. */
  readonly row: string;
  /** A placeholder (`$2`, `$3`…) read as a value of `type`. */
  cast(placeholder: string, type: SqlType): string;
  /** A datetime column as ISO 8601 UTC text, as the records route answers. */
  isoDatetime(column: string): string;
}

/** How a columnar copy is written. */
export interface CopyOptions {
  /** Each row's number stored as a column, for engines that cannot number a file's rows themselves (Athena). */
  readonly rowColumn?: boolean;
}

/** Registers each columnar copy where a distributed engine can find it (a catalogue table per copy). */
export interface ColumnarRegistry {
  register(key: string, columns: readonly ColumnSpec[]): Promise<void>;
}

/** Analytical engine: typed columnar copies and bounded queries over them. */
export interface QueryEngine {
  /** The dialect a query over `table` is compiled in. */
  dialectFor(table: ParquetObject): Promise<SqlDialect>;
  /**
   * Converts a tabular stream into Parquet typed by `columns` (GeoJSON points add a `geometry` column);
   * `sink` receives the Parquet bytes as a stream and resolves once they are stored.
   */
  toParquet(source: Readable, format: TabularFormat, columns: readonly ColumnSpec[], sink: (parquet: Readable) => Promise<void>, options?: CopyOptions): Promise<{ rows: number }>;
  /** The columns a columnar copy describes in its metadata (its Table Schema at the time it was written). */
  columns(table: ParquetObject): Promise<ColumnSpec[]>;
  /** Runs a query within the engine's memory, thread and time limits (`QueryLimitError` beyond them). */
  query(table: ParquetObject, query: CompiledQuery): Promise<QueryRows>;
  /** Streams the whole answer of a query in `format`; `sink` stores it. */
  export(table: ParquetObject, query: CompiledQuery, format: ExportFormat, sink: (bytes: Readable) => Promise<void>): Promise<void>;
}
