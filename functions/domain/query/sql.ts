import { createHash } from 'node:crypto';
import type { ColumnSpec, CompiledQuery, ExportFormat, SqlDialect } from '../../ports/query-engine.ts';
import { InvalidRequestError } from '../errors.ts';
import { sqlTypeOf, type Aggregate, type Filter, type QuerySpec, type SqlType } from './grammar.ts';

/** The hidden column numbering each row in its file (see the columnar copy): the last key of every page order. */
export const ROW_COLUMN = '_comptoir_row';
/** Aliases of the page keys in each answer row; removed before the rows are returned. */
export const KEY_PREFIX = '_comptoir_k';
const EARTH_RADIUS_M = 6_371_008.8;

/** A quoted identifier: names come from the table's own schema, quoted so any name is one identifier. */
export const ident = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** One key of the page order, with how its cursor value is bound. */
interface Key {
  readonly expr: string;
  readonly desc: boolean;
  readonly type: SqlType;
}

/** A compiled page: the SQL, the keys whose values the next cursor carries, and the query's fingerprint. */
export interface CompiledPage extends CompiledQuery {
  readonly keyCount: number;
  readonly fingerprint: string;
}

/** DuckDB over a local copy whose rows carry their number as a column: `$1` is the file, bound by the engine. */
export const DUCKDB_DIALECT: SqlDialect = {
  from: 'read_parquet($1)',
  row: ident(ROW_COLUMN),
  cast: (placeholder, type) => `CAST(${placeholder} AS ${type})`,
  isoDatetime: (c) => `regexp_replace(replace(CAST(${c} AS VARCHAR), ' ', 'T'), '\\+00$', 'Z')`,
};

/** DuckDB over a local copy without a row column: the Parquet reader numbers the file's rows itself. */
export const DUCKDB_FILE_ROWS_DIALECT: SqlDialect = { ...DUCKDB_DIALECT, from: 'read_parquet($1, file_row_number = true)', row: 'file_row_number' };

/** Collects bound parameters as `$2`, `$3`… (`$1` is kept for the table's file). */
class Params {
  readonly values: (string | number | boolean)[] = [];
  constructor(private readonly dialect: SqlDialect) {}
  bind(value: string | number | boolean, type: SqlType): string {
    this.values.push(value);
    return this.dialect.cast(`$${this.values.length + 1}`, type);
  }
}

function filterSql(f: Filter, p: Params): string {
  const c = ident(f.column.name);
  const v = (i = 0) => p.bind(f.values[i]!.value, f.values[i]!.type);
  switch (f.op) {
    case 'exact':
      return `${c} = ${v()}`;
    case 'differs':
      return `${c} IS DISTINCT FROM ${v()}`;
    case 'in':
      return `${c} IN (${f.values.map((_, i) => v(i)).join(', ')})`;
    case 'contains':
      // strpos, not LIKE: the caller's text is never a pattern.
      return `strpos(lower(${c}), lower(${v()})) > 0`;
    case 'less':
      return `${c} < ${v()}`;
    case 'greater':
      return `${c} > ${v()}`;
    case 'isnull':
      return f.values[0]!.value === true ? `${c} IS NULL` : `${c} IS NOT NULL`;
  }
}

function positionSql(spec: QuerySpec): { lon: string; lat: string } {
  const pos = spec.position!;
  return 'geopoint' in pos ? { lon: `${ident(pos.geopoint)}.lon`, lat: `${ident(pos.geopoint)}.lat` } : { lon: ident(pos.lon), lat: ident(pos.lat) };
}

function whereSql(spec: QuerySpec, p: Params): string[] {
  const where = spec.filters.map((f) => filterSql(f, p));
  if (spec.bbox) {
    const { lon, lat } = positionSql(spec);
    const [a, b, c, d] = spec.bbox;
    where.push(`${lon} BETWEEN ${p.bind(a, 'DOUBLE')} AND ${p.bind(c, 'DOUBLE')} AND ${lat} BETWEEN ${p.bind(b, 'DOUBLE')} AND ${p.bind(d, 'DOUBLE')}`);
  }
  if (spec.near) {
    const { lon, lat } = positionSql(spec);
    const lon0 = p.bind(spec.near.lon, 'DOUBLE');
    const lat0 = p.bind(spec.near.lat, 'DOUBLE');
    // Haversine distance in metres.
    const h = `power(sin(radians(${lat} - ${lat0}) / 2), 2) + cos(radians(${lat0})) * cos(radians(${lat})) * power(sin(radians(${lon} - ${lon0}) / 2), 2)`;
    where.push(`2 * ${EARTH_RADIUS_M} * asin(sqrt(${h})) <= ${p.bind(spec.near.meters, 'DOUBLE')}`);
  }
  return where;
}

function aggregateSql(a: Aggregate): string {
  if (a.fn === 'count') return 'count(*)';
  const c = ident(a.column!.name);
  return a.fn === 'sum' || a.fn === 'avg' ? `CAST(${a.fn}(${c}) AS DOUBLE)` : `${a.fn}(${c})`;
}

function aggregateType(a: Aggregate): SqlType {
  if (a.fn === 'count') return 'BIGINT';
  if (a.fn === 'sum' || a.fn === 'avg') return 'DOUBLE';
  return sqlTypeOf(a.column!)!;
}

/**
 * Keyset condition "strictly after the cursor's row" in an order where NULLs come last in both directions:
 * after(i) = k_i beyond v_i, or k_i NULL while v_i is not, or k_i equal to v_i and after(i+1).
 */
function afterSql(keys: readonly Key[], values: readonly unknown[], p: Params, i = 0): string {
  if (i === keys.length) return 'false';
  const k = keys[i]!;
  const v = values[i];
  const rest = afterSql(keys, values, p, i + 1);
  if (v === null) return `(${k.expr} IS NULL AND ${rest})`;
  const bound = p.bind(v as string | number | boolean, k.type);
  return `(${k.expr} ${k.desc ? '<' : '>'} ${bound} OR ${k.expr} IS NULL OR (${k.expr} = ${bound} AND ${rest}))`;
}

/** Checks a cursor's key values: one scalar per key, nothing else. */
function checkAfter(after: readonly unknown[], keys: readonly Key[]): void {
  const scalar = (v: unknown) => v === null || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.length <= 4096);
  if (after.length !== keys.length || !after.every(scalar)) throw new InvalidRequestError('cursor is not one this API returned for this query');
}

/** The query's identity for its cursors: the table and every part of the query but the page size. */
export function fingerprintOf(table: string, spec: QuerySpec): string {
  const { limit: _limit, ...rest } = spec;
  return createHash('sha256').update(JSON.stringify({ table, ...rest })).digest('base64url').slice(0, 22);
}

/**
 * Compiles a checked query into one statement over the dialect's table: the table's own names, quoted,
 * and caller values only as bound, cast parameters. `after` holds the key values of the previous page's last row.
 */
export function compilePage(table: string, spec: QuerySpec, after?: readonly unknown[], dialect: SqlDialect = DUCKDB_DIALECT): CompiledPage {
  const p = new Params(dialect);
  const where = whereSql(spec, p);
  const from = dialect.from;
  let keys: Key[];
  let inner: string;
  if (spec.groupBy) {
    const outputs = new Map<string, SqlType>([
      ...spec.groupBy.map((c) => [c.name, sqlTypeOf(c)!] as const),
      ...spec.aggregates.map((a) => [a.name, aggregateType(a)] as const),
    ]);
    const named = new Set(spec.order.map((o) => o.name));
    // The group columns make each row unique: they end the order.
    keys = [...spec.order.map((o) => ({ name: o.name, desc: o.desc })), ...spec.groupBy.filter((c) => !named.has(c.name)).map((c) => ({ name: c.name, desc: false }))].map(
      (k) => ({ expr: `q.${ident(k.name)}`, desc: k.desc, type: outputs.get(k.name)! }),
    );
    const list = [...spec.groupBy.map((c) => ident(c.name)), ...spec.aggregates.map((a) => `${aggregateSql(a)} AS ${ident(a.name)}`)];
    const group = spec.groupBy.length ? ` GROUP BY ${spec.groupBy.map((c) => ident(c.name)).join(', ')}` : '';
    inner = `SELECT ${list.join(', ')} FROM ${from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}${group}`;
  } else {
    keys = [
      ...spec.order.map((o) => ({ expr: `q.${ident(o.name)}`, desc: o.desc, type: sqlTypeOf(o.column!)! })),
      { expr: `q.${dialect.row}`, desc: false, type: 'BIGINT' as const },
    ];
    // Order columns may be left out of `select`: the inner query reads every column, the outer one projects.
    inner = `SELECT * FROM ${from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
  }
  if (after) checkAfter(after, keys);
  const projection = spec.groupBy ? ['q.*'] : spec.select.map((c) => `q.${ident(c.name)}`);
  const keyList = keys.map((k, i) => `${k.expr} AS ${ident(`${KEY_PREFIX}${i}`)}`);
  const sql = [
    `SELECT ${[...projection, ...keyList].join(', ')} FROM (${inner}) AS q`,
    after ? ` WHERE ${afterSql(keys, after, p)}` : '',
    ` ORDER BY ${keys.map((k) => `${k.expr} ${k.desc ? 'DESC' : 'ASC'} NULLS LAST`).join(', ')}`,
    ` LIMIT ${spec.limit + 1}`,
  ].join('');
  const named = spec.groupBy ? [...spec.groupBy.map((c) => c.name), ...spec.aggregates.map((a) => a.name)] : spec.select.map((c) => c.name);
  const outputs = [...named, ...keys.map((_, i) => `${KEY_PREFIX}${i}`)];
  return { sql, params: p.values, outputs, keyCount: keys.length, fingerprint: fingerprintOf(table, spec) };
}

/** The columns of a query's answer and their types: the selected columns, or the group columns and aggregates. */
export function answerColumns(spec: QuerySpec, columns: readonly ColumnSpec[]): { name: string; type: ColumnSpec['type'] }[] {
  if (!spec.groupBy) return spec.select.map((c) => ({ name: c.name, type: c.type }));
  return [
    ...spec.groupBy.map((c) => ({ name: c.name, type: c.type })),
    ...spec.aggregates.map((a) => ({ name: a.name, type: a.fn === 'count' ? 'integer' as const : a.fn === 'sum' || a.fn === 'avg' ? 'number' as const : (columns.find((c) => c.name === a.column?.name)?.type ?? 'string') })),
  ];
}

/** One answer column as an export writes it: datetimes in ISO 8601 UTC as the records route answers, geopoints `lon, lat` in CSV. */
function exportedSql(column: { name: string; type: ColumnSpec['type'] }, format: ExportFormat, dialect: SqlDialect): string {
  const c = `e.${ident(column.name)}`;
  if (format === 'parquet') return c;
  if (column.type === 'datetime') return `${dialect.isoDatetime(c)} AS ${ident(column.name)}`;
  if (column.type === 'geopoint' && format === 'csv') return `CAST(${c}.lon AS VARCHAR) || ', ' || CAST(${c}.lat AS VARCHAR) AS ${ident(column.name)}`;
  return c;
}

/** The whole answer of a query, for exports: the same statement without keys, cursor or limit, in a portable text per format. */
export function compileExport(spec: QuerySpec, columns: readonly ColumnSpec[], format: ExportFormat, dialect: SqlDialect = DUCKDB_DIALECT): CompiledQuery {
  const p = new Params(dialect);
  const where = whereSql(spec, p);
  const clause = where.length ? ` WHERE ${where.join(' AND ')}` : '';
  const by = (name: string, desc: boolean) => `e.${ident(name)} ${desc ? 'DESC' : 'ASC'} NULLS LAST`;
  let inner: string;
  let order: string[];
  if (spec.groupBy) {
    const list = [...spec.groupBy.map((c) => ident(c.name)), ...spec.aggregates.map((a) => `${aggregateSql(a)} AS ${ident(a.name)}`)];
    const group = spec.groupBy.length ? ` GROUP BY ${spec.groupBy.map((c) => ident(c.name)).join(', ')}` : '';
    inner = `SELECT ${list.join(', ')} FROM ${dialect.from}${clause}${group}`;
    order = [...spec.order.map((o) => by(o.name, o.desc)), ...spec.groupBy.map((c) => by(c.name, false))];
  } else {
    // Every column inside, so the order may use columns the answer leaves out.
    inner = `SELECT * FROM ${dialect.from}${clause}`;
    order = [...spec.order.map((o) => by(o.name, o.desc)), `e.${dialect.row} ASC NULLS LAST`];
  }
  // Qualified order keys name the inner columns, never the outer text forms (ISO text would misorder fractions of seconds).
  const answer = answerColumns(spec, columns);
  const projection = answer.map((c) => exportedSql(c, format, dialect));
  return { sql: `SELECT ${projection.join(', ')} FROM (${inner}) AS e${order.length ? ` ORDER BY ${order.join(', ')}` : ''}`, params: p.values, outputs: answer.map((c) => c.name) };
}
