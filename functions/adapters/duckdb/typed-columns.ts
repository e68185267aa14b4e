import type { ColumnSpec, TabularFormat } from '../../ports/query-engine.ts';
import { describedColumns, GEOMETRY_COLUMN } from '../../domain/query/columnar.ts';
import { ROW_COLUMN } from '../../domain/query/sql.ts';
import { ident, literal } from './sql-text.ts';

const TRUE = ['true', '1', 'yes', 'oui'];
const FALSE = ['false', '0', 'no', 'non'];

/** Columns DuckDB's CSV reader can type itself; a value it reads otherwise fails the statement, which is then cast from text. */
const READER_TYPES: Partial<Record<ColumnSpec['type'], string>> = { integer: 'BIGINT', number: 'DOUBLE', date: 'DATE' };

/** How each column of the raw file is read: by the CSV reader typed (`reader`), or as text cast the way ingest validated it. */
export type CopyReading = 'reader' | 'text';

/** A geopoint's doubles, computed in a projection beneath the cast (named by the column's position `i`). */
function geopointParts(format: TabularFormat, text: string, i: number): string[] {
  const [lon, lat] = geopointDoubles(format, i);
  if (format === 'csv') {
    // Ingest accepted only "lon,lat" or "lon, lat" in a CSV: two splits, no intermediate list.
    return [`TRY_CAST(split_part(${text}, ',', 1) AS DOUBLE) AS ${lon}`, `TRY_CAST(split_part(${text}, ',', 2) AS DOUBLE) AS ${lat}`];
  }
  // JSON also has `[lon, lat]`: the text is read once as a list of doubles.
  return [`CASE WHEN trim(coalesce(${text}, '')) = '' THEN NULL ELSE TRY_CAST('[' || replace(replace(${text}, '[', ''), ']', '') || ']' AS DOUBLE[]) END AS ${ident(`_comptoir_p${i}`)}`];
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
    case 'boolean':
      // A simple CASE folds the value once, not once per list it is compared with.
      return `CASE lower(trim(${text})) ${[...TRUE.map((v) => `WHEN '${v}' THEN true`), ...FALSE.map((v) => `WHEN '${v}' THEN false`)].join(' ')} END`;
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
      const typed = reading === 'reader' ? columns.filter((c) => READER_TYPES[c.type]) : [];
      const types = typed.length ? `, types = {${typed.map((c) => `${literal(c.name)}: '${READER_TYPES[c.type]}'`).join(', ')}}` : '';
      return `read_csv(${literal(path)}, header = true, all_varchar = true${types})`;
    }
    case 'json':
      return `read_json(${literal(path)}, format = 'auto', records = true, columns = ${text})`;
    case 'geojson':
      return `read_json(${literal(path)}, format = 'newline_delimited', records = true, columns = {'properties': 'JSON', 'lon': 'DOUBLE', 'lat': 'DOUBLE'})`;
  }
}

/** True when the CSV reader types some of these columns itself: only then is a reading by text a different statement. */
export function readerTypes(format: TabularFormat, columns: readonly ColumnSpec[]): boolean {
  return format === 'csv' && columns.some((c) => READER_TYPES[c.type]);
}

/**
 * The two statements writing the typed Parquet copy of a raw local file: the typed rows first, in the file's order
 * and in parallel, then the same rows numbered from the Parquet file's own row numbers, with the schema as metadata.
 */
export function parquetCopySql(format: TabularFormat, source: string, typedFile: string, target: string, columns: readonly ColumnSpec[], reading: CopyReading = 'text'): [typed: string, numbered: string] {
  const text = (c: ColumnSpec) => (format === 'geojson' ? `(properties ->> ${literal(c.name)})` : ident(c.name));
  // The intermediate file names its columns by position: a schema may name one `file_row_number`, as the reader's own.
  const position = (i: number) => ident(`_comptoir_c${i}`);
  // Geopoint parts are computed in a projection of their own: a subquery per row would be planned as a join, losing the file's order.
  const pairs = columns.flatMap((c, i) => (c.type === 'geopoint' ? geopointParts(format, text(c), i) : []));
  const byReader = (c: ColumnSpec) => format === 'csv' && reading === 'reader' && READER_TYPES[c.type] !== undefined;
  const typed = columns.map((c, i) => `${typedExpression(format, text(c), c, i, byReader(c))} AS ${position(i)}`);
  const geometry = format === 'geojson' && !columns.some((c) => c.name === GEOMETRY_COLUMN)
    ? [`CASE WHEN lon IS NULL OR lat IS NULL THEN NULL ELSE struct_pack(lon := lon, lat := lat) END AS ${position(columns.length)}`]
    : [];
  const described = describedColumns(format, columns);
  const personal = JSON.stringify(columns.filter((c) => c.personal).map((c) => c.name));
  const schema = JSON.stringify(described.map((c) => ({ name: c.name, type: c.type, ...(c.personal ? { personal: true } : {}) })));
  const raw = rawRelation(format, source, columns, reading);
  const from = pairs.length ? `(SELECT *, ${pairs.join(', ')} FROM ${raw})` : raw;
  // A window numbering the rows would run the whole cast in one thread; the Parquet reader numbers them for free.
  // The first file lives only until the second is written: compressed faster rather than smaller.
  return [
    `COPY (SELECT ${[...typed, ...geometry].join(', ')} FROM ${from}) TO ${literal(typedFile)} (FORMAT parquet, COMPRESSION snappy)`,
    // The file describes itself: queries read their columns (and which are personal) from this metadata.
    [
      `COPY (SELECT file_row_number + 1 AS ${ident(ROW_COLUMN)}, ${described.map((c, i) => `${position(i)} AS ${ident(c.name)}`).join(', ')}`,
      `FROM read_parquet(${literal(typedFile)}, file_row_number = true))`,
      `TO ${literal(target)} (FORMAT parquet, COMPRESSION zstd, KV_METADATA {'comptoir.personal': ${literal(personal)}, 'comptoir.schema': ${literal(schema)}})`,
    ].join(' '),
  ];
}
