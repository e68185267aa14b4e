import type { ColumnSpec, TabularFormat } from '../../ports/query-engine.ts';
import { describedColumns, GEOMETRY_COLUMN } from '../../domain/query/columnar.ts';
import { ROW_COLUMN } from '../../domain/query/sql.ts';
import { ident, literal } from './sql-text.ts';

const TRUE = "('true','1','yes','oui')";
const FALSE = "('false','0','no','non')";

/** Casts one text value to the column's type the way ingest validated it (a value it cannot read becomes NULL). */
export function typedExpression(text: string, column: ColumnSpec): string {
  const t = `trim(${text})`;
  switch (column.type) {
    case 'string':
      return text;
    case 'integer':
      return `TRY_CAST(${t} AS BIGINT)`;
    case 'number':
      // A `;`-delimited CSV may write decimals with a comma; ingest accepted both.
      return `TRY_CAST(replace(${t}, ',', '.') AS DOUBLE)`;
    case 'boolean':
      return `CASE WHEN lower(${t}) IN ${TRUE} THEN true WHEN lower(${t}) IN ${FALSE} THEN false END`;
    case 'date':
      return `TRY_CAST(${t} AS DATE)`;
    case 'datetime':
      return `TRY_CAST(${t} AS TIMESTAMPTZ)`;
    case 'geopoint': {
      // "lon, lat" in CSV, `[lon, lat]` in JSON; plain replaces, several times cheaper than a regular expression per row.
      const bare = `replace(replace(${t}, '[', ''), ']', '')`;
      const part = (i: number) => `TRY_CAST(trim(split_part(${bare}, ',', ${i})) AS DOUBLE)`;
      return `CASE WHEN ${text} IS NULL OR ${t} = '' THEN NULL ELSE struct_pack(lon := ${part(1)}, lat := ${part(2)}) END`;
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

/** The COPY statement writing the typed Parquet copy of a raw local file. */
export function parquetCopySql(format: TabularFormat, source: string, target: string, columns: readonly ColumnSpec[]): string {
  const text = (c: ColumnSpec) => (format === 'geojson' ? `(properties ->> ${literal(c.name)})` : ident(c.name));
  const typed = columns.map((c) => `${typedExpression(text(c), c)} AS ${ident(c.name)}`);
  const geometry = format === 'geojson' && !columns.some((c) => c.name === GEOMETRY_COLUMN)
    ? [`CASE WHEN lon IS NULL OR lat IS NULL THEN NULL ELSE struct_pack(lon := lon, lat := lat) END AS ${ident(GEOMETRY_COLUMN)}`]
    : [];
  const described = describedColumns(format, columns);
  const personal = JSON.stringify(columns.filter((c) => c.personal).map((c) => c.name));
  const schema = JSON.stringify(described.map((c) => ({ name: c.name, type: c.type, ...(c.personal ? { personal: true } : {}) })));
  // The file describes itself: queries read their columns (and which are personal) from this metadata.
  return [
    `COPY (SELECT row_number() OVER () AS ${ident(ROW_COLUMN)}, ${[...typed, ...geometry].join(', ')} FROM ${rawRelation(format, source, columns)})`,
    `TO ${literal(target)} (FORMAT parquet, COMPRESSION zstd, KV_METADATA {'comptoir.personal': ${literal(personal)}, 'comptoir.schema': ${literal(schema)}})`,
  ].join(' ');
}
