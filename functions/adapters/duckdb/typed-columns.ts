import type { ColumnSpec, TabularFormat } from '../../ports/query-engine.ts';
import { describedColumns, GEOMETRY_COLUMN } from '../../domain/query/columnar.ts';
import { ROW_COLUMN } from '../../domain/query/sql.ts';
import { ident, literal } from './sql-text.ts';

const TRUE = ['true', '1', 'yes', 'oui'];
const FALSE = ['false', '0', 'no', 'non'];

/** The list of doubles a geopoint's text holds ("lon, lat" in CSV, `[lon, lat]` in JSON), one cast instead of splitting the text. */
function geopointListExpression(text: string): string {
  return `CASE WHEN trim(coalesce(${text}, '')) = '' THEN NULL ELSE TRY_CAST('[' || replace(replace(${text}, '[', ''), ']', '') || ']' AS DOUBLE[]) END`;
}

/**
 * Casts one text value to the column's type the way ingest validated it (a value it cannot read becomes NULL).
 * A geopoint reads the list `geopointListExpression` computed beneath it, named `pair`.
 */
function typedExpression(text: string, column: ColumnSpec, pair: string): string {
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
      return `CASE WHEN ${pair} IS NULL THEN NULL ELSE struct_pack(lon := ${pair}[1], lat := ${pair}[2]) END`;
    }
  }
}

/** The relation reading the raw local file, every column as text. */
function rawRelation(format: TabularFormat, path: string, columns: readonly ColumnSpec[]): string {
  const text = `{${columns.map((c) => `${literal(c.name)}: 'VARCHAR'`).join(', ')}}`;
  switch (format) {
    case 'csv':
      return `read_csv(${literal(path)}, header = true, all_varchar = true)`;
    case 'json':
      return `read_json(${literal(path)}, format = 'auto', records = true, columns = ${text})`;
    case 'geojson':
      return `read_json(${literal(path)}, format = 'newline_delimited', records = true, columns = {'properties': 'JSON', 'lon': 'DOUBLE', 'lat': 'DOUBLE'})`;
  }
}

/**
 * The two statements writing the typed Parquet copy of a raw local file: the typed rows first, in the file's order
 * and in parallel, then the same rows numbered from the Parquet file's own row numbers, with the schema as metadata.
 */
export function parquetCopySql(format: TabularFormat, source: string, typedFile: string, target: string, columns: readonly ColumnSpec[]): [typed: string, numbered: string] {
  const text = (c: ColumnSpec) => (format === 'geojson' ? `(properties ->> ${literal(c.name)})` : ident(c.name));
  // The intermediate file names its columns by position: a schema may name one `file_row_number`, as the reader's own.
  const position = (i: number) => ident(`_comptoir_c${i}`);
  const pair = (i: number) => ident(`_comptoir_p${i}`);
  // Geopoint lists are computed in a projection of their own: a subquery per row would be planned as a join, losing the file's order.
  const pairs = columns.flatMap((c, i) => (c.type === 'geopoint' ? [`${geopointListExpression(text(c))} AS ${pair(i)}`] : []));
  const typed = columns.map((c, i) => `${typedExpression(text(c), c, pair(i))} AS ${position(i)}`);
  const geometry = format === 'geojson' && !columns.some((c) => c.name === GEOMETRY_COLUMN)
    ? [`CASE WHEN lon IS NULL OR lat IS NULL THEN NULL ELSE struct_pack(lon := lon, lat := lat) END AS ${position(columns.length)}`]
    : [];
  const described = describedColumns(format, columns);
  const personal = JSON.stringify(columns.filter((c) => c.personal).map((c) => c.name));
  const schema = JSON.stringify(described.map((c) => ({ name: c.name, type: c.type, ...(c.personal ? { personal: true } : {}) })));
  const raw = rawRelation(format, source, columns);
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
