import type { ColumnSpec, TabularFormat } from '../../ports/query-engine.ts';
import { describedColumns } from '../../domain/query/columnar.ts';
import { ROW_COLUMN } from '../../domain/query/sql.ts';
import { ident, literal } from './sql-text.ts';

const TRUE = ['true', '1', 'yes', 'oui'];
const FALSE = ['false', '0', 'no', 'non'];
/** A word as it is usually written: lower case, capitalised, upper case. */
const spellings = (word: string): string[] => [...new Set([word, word[0]!.toUpperCase() + word.slice(1), word.toUpperCase()])];

/** Columns DuckDB's CSV reader can type itself; a value it reads otherwise fails the statement, which is then cast from text. */
const READER_TYPES: Partial<Record<ColumnSpec['type'], string>> = { integer: 'BIGINT', number: 'DOUBLE', date: 'DATE' };

/** How each column of the raw file is read: by the CSV reader typed (`reader`), or as text cast the way ingest validated it. */
export type CopyReading = 'reader' | 'text';

/** The type DuckDB's CSV reader gives `column` itself in this reading; none when the column is read as text. */
const readerType = (format: TabularFormat, reading: CopyReading, column: ColumnSpec): string | undefined =>
  format === 'csv' && reading === 'reader' ? READER_TYPES[column.type] : undefined;

/** A geopoint's doubles, computed in a projection beneath the cast (named by the column's position `i`). */
function geopointParts(format: TabularFormat, text: string, i: number): string[] {
  const [lon, lat] = geopointDoubles(format, i);
  if (format === 'csv') {
    // Ingest accepted only "lon,lat" or "lon, lat" in a CSV: two splits, no intermediate list.
    return [`TRY_CAST(split_part(${text}, ',', 1) AS DOUBLE) AS ${lon}`, `TRY_CAST(split_part(${text}, ',', 2) AS DOUBLE) AS ${lat}`];
  }
  // JSON also has `[lon, lat]` and `{"lon": …, "lat": …}`: the text is read once as a list of doubles.
  const object = `[TRY_CAST(json_extract_string(${text}, '$.lon') AS DOUBLE), TRY_CAST(json_extract_string(${text}, '$.lat') AS DOUBLE)]`;
  const list = `TRY_CAST('[' || replace(replace(${text}, '[', ''), ']', '') || ']' AS DOUBLE[])`;
  return [`CASE WHEN trim(coalesce(${text}, '')) = '' THEN NULL WHEN starts_with(ltrim(${text}), '{') THEN ${object} ELSE ${list} END AS ${ident(`_comptoir_p${i}`)}`];
}

/** Where the cast finds a geopoint's longitude and latitude once `geopointParts` computed them. */
function geopointDoubles(format: TabularFormat, i: number): [lon: string, lat: string] {
  if (format === 'csv') return [ident(`_comptoir_x${i}`), ident(`_comptoir_y${i}`)];
  const list = ident(`_comptoir_p${i}`);
  return [`${list}[1]`, `${list}[2]`];
}

/** Casts one text value to the column's type the way ingest validated it (a value it cannot read becomes NULL). */
function typedExpression(format: TabularFormat, text: string, column: ColumnSpec, i: number, byReader: boolean): string {
  if (byReader) return text;
  // Casts from text ignore surrounding spaces themselves: no trim() per value.
  switch (column.type) {
    case 'string':
      return text;
    case 'integer':
      return `TRY_CAST(${text} AS BIGINT)`;
    case 'number':
      // A `;`-delimited CSV may write decimals with a comma; ingest accepted both.
      return `TRY_CAST(replace(${text}, ',', '.') AS DOUBLE)`;
    case 'boolean': {
      // The usual spellings compare as they are; only the others are folded (lower-casing and trimming copy each value).
      const when = (words: readonly string[], value: boolean) => words.map((w) => `WHEN '${w}' THEN ${value}`);
      const folded = `CASE lower(trim(${text})) ${[...when(TRUE, true), ...when(FALSE, false)].join(' ')} END`;
      return `CASE ${text} ${[...when(TRUE.flatMap(spellings), true), ...when(FALSE.flatMap(spellings), false)].join(' ')} ELSE ${folded} END`;
    }
    case 'date':
      return `TRY_CAST(${text} AS DATE)`;
    case 'datetime':
      return `TRY_CAST(${text} AS TIMESTAMPTZ)`;
    case 'geopoint': {
      const [lon, lat] = geopointDoubles(format, i);
      return `CASE WHEN ${lon} IS NULL OR ${lat} IS NULL THEN NULL ELSE struct_pack(lon := ${lon}, lat := ${lat}) END`;
    }
  }
}

/** The relation reading the raw local file: every column as text, but those the CSV reader types when `reading` says so. */
function rawRelation(format: TabularFormat, path: string, columns: readonly ColumnSpec[], reading: CopyReading): string {
  const text = `{${columns.map((c) => `${literal(c.name)}: 'VARCHAR'`).join(', ')}}`;
  switch (format) {
    case 'csv': {
      const typed = columns.flatMap((c) => [readerType(format, reading, c)].filter((t) => t !== undefined).map((t) => `${literal(c.name)}: '${t}'`));
      return `read_csv(${literal(path)}, header = true, all_varchar = true${typed.length ? `, types = {${typed.join(', ')}}` : ''})`;
    }
    case 'json':
      return `read_json(${literal(path)}, format = 'auto', records = true, columns = ${text})`;
    case 'geojson':
      return `read_json(${literal(path)}, format = 'newline_delimited', records = true, columns = {'properties': 'JSON', 'lon': 'DOUBLE', 'lat': 'DOUBLE'})`;
  }
}

/** True when the CSV reader types some of these columns itself: only then is a reading by text a different statement. */
export function readerTypes(format: TabularFormat, columns: readonly ColumnSpec[]): boolean {
  return columns.some((c) => readerType(format, 'reader', c) !== undefined);
}

/** The column DuckDB's Parquet reader adds when asked to number a file's rows. */
export const FILE_ROW_NUMBER = 'file_row_number';

/** What the copy's metadata says when queries number its rows from the file (no row column). */
export const FILE_ROWS_METADATA = { key: 'comptoir.rows', value: 'file' } as const;

/** Where a copy is written from (the raw local file), through which intermediate file, to which target. */
export interface CopyFiles {
  readonly source: string;
  readonly intermediate: string;
  readonly target: string;
}

/**
 * The statements writing the typed Parquet copy of a raw local file, the schema in its metadata. Without a row column,
 * one statement writes the typed rows in the file's order, in parallel. With one, the typed rows go to an intermediate
 * file first, then are numbered from its own row numbers (a window numbering them would run the casts in one thread).
 * A schema naming a column as the reader's row number always gets the row column, so the two never meet.
 */
export function parquetCopySql(format: TabularFormat, files: CopyFiles, columns: readonly ColumnSpec[], options: { reading: CopyReading; rowColumn: boolean }): string[] {
  const text = (c: ColumnSpec) => (format === 'geojson' ? `(properties ->> ${literal(c.name)})` : ident(c.name));
  const described = describedColumns(format, columns);
  const rowColumn = options.rowColumn || described.some((c) => c.name.toLowerCase() === FILE_ROW_NUMBER);
  // The intermediate file names its columns by position: a schema may name one as the reader's own row number.
  const name = (i: number) => (rowColumn ? ident(`_comptoir_c${i}`) : ident(described[i]!.name));
  // Geopoint parts are computed in a projection of their own: a subquery per row would be planned as a join, losing the file's order.
  const pairs = columns.flatMap((c, i) => (c.type === 'geopoint' ? geopointParts(format, text(c), i) : []));
  const typed = columns.map((c, i) => `${typedExpression(format, text(c), c, i, readerType(format, options.reading, c) !== undefined)} AS ${name(i)}`);
  const geometry = described.length > columns.length ? [`CASE WHEN lon IS NULL OR lat IS NULL THEN NULL ELSE struct_pack(lon := lon, lat := lat) END AS ${name(columns.length)}`] : [];
  const raw = rawRelation(format, files.source, columns, options.reading);
  const from = pairs.length ? `(SELECT *, ${pairs.join(', ')} FROM ${raw})` : raw;
  const rows = `SELECT ${[...typed, ...geometry].join(', ')} FROM ${from}`;
  // The file describes itself: queries read their columns (and which are personal) from this metadata.
  const metadata = [
    `'comptoir.personal': ${literal(JSON.stringify(columns.filter((c) => c.personal).map((c) => c.name)))}`,
    `'comptoir.schema': ${literal(JSON.stringify(described.map((c) => ({ name: c.name, type: c.type, ...(c.personal ? { personal: true } : {}) }))))}`,
    ...(rowColumn ? [] : [`'${FILE_ROWS_METADATA.key}': '${FILE_ROWS_METADATA.value}'`]),
  ];
  const final = `(FORMAT parquet, COMPRESSION zstd, KV_METADATA {${metadata.join(', ')}})`;
  if (!rowColumn) return [`COPY (${rows}) TO ${literal(files.target)} ${final}`];
  return [
    // The intermediate file lives only until the copy is written: compressed faster rather than smaller.
    `COPY (${rows}) TO ${literal(files.intermediate)} (FORMAT parquet, COMPRESSION snappy)`,
    [
      `COPY (SELECT ${FILE_ROW_NUMBER} + 1 AS ${ident(ROW_COLUMN)}, ${described.map((c, i) => `${name(i)} AS ${ident(c.name)}`).join(', ')}`,
      `FROM read_parquet(${literal(files.intermediate)}, ${FILE_ROW_NUMBER} = true)) TO ${literal(files.target)} ${final}`,
    ].join(' '),
  ];
}
