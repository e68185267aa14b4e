import { FILTER_OPERATORS } from '../../../schemas/query.ts';
import type { ColumnSpec, SqlType } from '../../ports/query-engine.ts';
import { InvalidRequestError } from '../errors.ts';

export { FILTER_OPERATORS };
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

/** Aggregate functions of `aggregate=`. */
export const AGGREGATES = ['count', 'sum', 'avg', 'min', 'max'] as const;
export type AggregateFn = (typeof AGGREGATES)[number];

/** The most rows one page returns. */
export const MAX_LIMIT = 1000;
export const DEFAULT_LIMIT = 100;
/** The most values of one `__in` filter, and the most filters of one query. */
export const MAX_IN_VALUES = 100;
export const MAX_FILTERS = 50;

/** The parameters of a records query that are not filters. */
export const RESERVED_PARAMETERS = ['select', 'order_by', 'group_by', 'aggregate', 'bbox', 'near', 'limit', 'cursor', 'version', 'purpose', 'format'] as const;

/** A value as it is bound: the text or number, and the SQL type it is cast to. */
export interface Bound {
  readonly value: string | number | boolean;
  readonly type: SqlType;
}
export type { SqlType };

export interface Filter {
  readonly column: ColumnSpec;
  readonly op: FilterOperator;
  readonly values: readonly Bound[];
}

export interface Aggregate {
  readonly fn: AggregateFn;
  readonly column?: ColumnSpec;
  /** The output name: `count`, `sum(amount)`. */
  readonly name: string;
}

/** A parsed, checked records query: every name is a column of the table, every value typed. */
export interface QuerySpec {
  readonly select: readonly ColumnSpec[];
  readonly filters: readonly Filter[];
  /** Output names (columns, or aggregates when grouping) and their direction. */
  readonly order: readonly { readonly name: string; readonly desc: boolean; readonly column?: ColumnSpec }[];
  /** Set when grouping (possibly empty: one row of aggregates over every row). */
  readonly groupBy?: readonly ColumnSpec[];
  readonly aggregates: readonly Aggregate[];
  readonly bbox?: readonly [number, number, number, number];
  readonly near?: { readonly lon: number; readonly lat: number; readonly meters: number };
  /** The point columns geographic filters read: a geopoint, or a pair of number columns. */
  readonly position?: { readonly geopoint: string } | { readonly lon: string; readonly lat: string };
  readonly limit: number;
}

const SQL_TYPE: Record<ColumnSpec['type'], SqlType | undefined> = {
  string: 'VARCHAR', integer: 'BIGINT', number: 'DOUBLE', boolean: 'BOOLEAN', date: 'DATE', datetime: 'TIMESTAMPTZ', geopoint: undefined,
};

/** The SQL type a column's values are bound as (geopoints are never compared). */
export const sqlTypeOf = (column: ColumnSpec): SqlType | undefined => SQL_TYPE[column.type];

const bad = (message: string) => new InvalidRequestError(message, { details: [{ in: 'query', message }] });
const list = (text: string) => text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);

/** Parses one caller value as the column's type; a value that is not one is a 400 naming the parameter. */
export function bindValue(column: ColumnSpec, text: string, parameter: string): Bound {
  const type = sqlTypeOf(column);
  const t = text.trim();
  const fail = () => bad(`${parameter}: "${text.slice(0, 64)}" is not a ${column.type}`);
  switch (type) {
    case 'VARCHAR':
      return { value: text, type };
    case 'BIGINT':
      if (!/^[+-]?\d{1,18}$/.test(t)) throw fail();
      return { value: t, type };
    case 'DOUBLE': {
      const n = Number(t.replace(',', '.'));
      if (t === '' || !Number.isFinite(n)) throw fail();
      return { value: n, type };
    }
    case 'BOOLEAN': {
      const v = t.toLowerCase();
      if (['true', '1', 'yes', 'oui'].includes(v)) return { value: true, type };
      if (['false', '0', 'no', 'non'].includes(v)) return { value: false, type };
      throw fail();
    }
    case 'DATE':
      if (!/^\d{4}-\d{2}-\d{2}$/.test(t) || Number.isNaN(Date.parse(`${t}T00:00:00Z`)) || new Date(`${t}T00:00:00Z`).toISOString().slice(0, 10) !== t) throw fail();
      return { value: t, type };
    case 'TIMESTAMPTZ':
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(t) || Number.isNaN(Date.parse(t))) throw fail();
      return { value: new Date(t).toISOString(), type };
    default:
      throw bad(`${parameter}: ${column.type} columns are filtered with __isnull, bbox or near only`);
  }
}

const ALLOWED: Record<FilterOperator, (c: ColumnSpec) => boolean> = {
  exact: (c) => c.type !== 'geopoint',
  differs: (c) => c.type !== 'geopoint',
  in: (c) => c.type !== 'geopoint',
  contains: (c) => c.type === 'string',
  less: (c) => !['geopoint', 'boolean'].includes(c.type),
  greater: (c) => !['geopoint', 'boolean'].includes(c.type),
  isnull: () => true,
};

/** Splits `name__op` at the operator suffix; undefined when the key names no known operator. */
function splitFilterKey(key: string): { name: string; op: FilterOperator } | undefined {
  for (const op of FILTER_OPERATORS) {
    const suffix = `__${op}`;
    if (key.endsWith(suffix) && key.length > suffix.length) return { name: key.slice(0, -suffix.length), op };
  }
  return undefined;
}

function numbers(text: string, count: number, parameter: string, shape: string): number[] {
  const parts = text.split(',').map((s) => Number(s.trim()));
  if (parts.length !== count || parts.some((n) => !Number.isFinite(n))) throw bad(`${parameter}: expected ${shape}`);
  return parts;
}

/**
 * Parses the query string of a records request against the table's columns. Names are looked up in
 * `columns` (an unknown one is a 400 naming it); values are typed; nothing of the caller's text is kept but as bound values.
 */
export function parseQuery(params: Readonly<Record<string, string | undefined>>, columns: readonly ColumnSpec[]): QuerySpec {
  const byName = new Map(columns.map((c) => [c.name, c]));
  const column = (name: string, parameter: string): ColumnSpec => {
    const c = byName.get(name);
    if (!c) throw bad(`${parameter}: unknown column "${name.slice(0, 128)}"; columns are ${columns.map((x) => x.name).join(', ')}`);
    return c;
  };

  const filters: Filter[] = [];
  for (const [key, raw] of Object.entries(params)) {
    if (raw === undefined || (RESERVED_PARAMETERS as readonly string[]).includes(key)) continue;
    const split = splitFilterKey(key);
    if (!split) throw bad(`unknown parameter "${key.slice(0, 128)}": filters are column__${FILTER_OPERATORS.join('|column__')}`);
    const c = column(split.name, key);
    if (!ALLOWED[split.op](c)) throw bad(`${key}: __${split.op} does not apply to ${c.type} columns`);
    if (split.op === 'isnull') {
      const v = raw.trim().toLowerCase();
      if (v !== 'true' && v !== 'false') throw bad(`${key}: expected true or false`);
      filters.push({ column: c, op: 'isnull', values: [{ value: v === 'true', type: 'BOOLEAN' }] });
      continue;
    }
    if (split.op === 'contains') {
      filters.push({ column: c, op: 'contains', values: [{ value: raw, type: 'VARCHAR' }] });
      continue;
    }
    const texts = split.op === 'in' ? raw.split(',') : [raw];
    if (texts.length > MAX_IN_VALUES) throw bad(`${key}: at most ${MAX_IN_VALUES} values`);
    filters.push({ column: c, op: split.op, values: texts.map((t) => bindValue(c, t, key)) });
  }
  if (filters.length > MAX_FILTERS) throw bad(`at most ${MAX_FILTERS} filters`);

  const grouping = params.group_by !== undefined || params.aggregate !== undefined;
  const groupBy = grouping ? list(params.group_by ?? '').map((n) => column(n, 'group_by')) : undefined;
  if (groupBy?.some((c) => c.type === 'geopoint')) throw bad('group_by: geopoint columns cannot be grouped');
  if (groupBy && new Set(groupBy.map((c) => c.name)).size !== groupBy.length) throw bad('group_by: a column is named twice');
  const aggregates = grouping ? parseAggregates(params.aggregate ?? 'count', column) : [];
  if (grouping && params.select !== undefined) throw bad('select: a grouped query answers its group_by columns and aggregates');

  const select = grouping ? [] : params.select === undefined ? [...columns] : list(params.select).map((n) => column(n, 'select'));
  if (!grouping && select.length === 0) throw bad('select: name at least one column');
  const outputs = grouping ? new Map<string, true>([...groupBy!.map((c) => [c.name, true] as const), ...aggregates.map((a) => [a.name, true] as const)]) : undefined;

  const order = list(params.order_by ?? '').map((term) => {
    const desc = term.startsWith('-');
    const name = desc ? term.slice(1) : term;
    if (outputs) {
      if (!outputs.has(name)) throw bad(`order_by: "${name.slice(0, 128)}" is neither a group_by column nor an aggregate`);
      return { name, desc };
    }
    const c = column(name, 'order_by');
    if (c.type === 'geopoint') throw bad('order_by: geopoint columns cannot be ordered');
    return { name, desc, column: c };
  });
  if (new Set(order.map((o) => o.name)).size !== order.length) throw bad('order_by: a column is named twice');

  const limit = params.limit === undefined ? DEFAULT_LIMIT : Number(params.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw bad(`limit: an integer from 1 to ${MAX_LIMIT}`);

  const geo = params.bbox !== undefined || params.near !== undefined;
  const position = geo ? positionOf(columns) : undefined;
  const bbox = params.bbox === undefined ? undefined : numbers(params.bbox, 4, 'bbox', 'minLon,minLat,maxLon,maxLat');
  if (bbox && (bbox[0]! > bbox[2]! || bbox[1]! > bbox[3]!)) throw bad('bbox: expected minLon,minLat,maxLon,maxLat with min <= max');
  const near = params.near === undefined ? undefined : numbers(params.near, 3, 'near', 'lon,lat,meters');
  if (near && !(near[2]! > 0 && Math.abs(near[0]!) <= 180 && Math.abs(near[1]!) <= 90)) throw bad('near: expected lon,lat,meters with meters > 0');

  return {
    select,
    filters,
    order,
    ...(groupBy ? { groupBy } : {}),
    aggregates,
    ...(bbox ? { bbox: bbox as [number, number, number, number] } : {}),
    ...(near ? { near: { lon: near[0]!, lat: near[1]!, meters: near[2]! } } : {}),
    ...(position ? { position } : {}),
    limit,
  };
}

function parseAggregates(text: string, column: (name: string, parameter: string) => ColumnSpec): Aggregate[] {
  const terms = list(text);
  if (terms.length === 0) throw bad('aggregate: name at least one of count, sum(col), avg(col), min(col), max(col)');
  const out = terms.map((term): Aggregate => {
    if (term === 'count') return { fn: 'count', name: 'count' };
    const m = /^(sum|avg|min|max)\((.+)\)$/.exec(term);
    if (!m) throw bad(`aggregate: "${term.slice(0, 128)}" is not count, sum(col), avg(col), min(col) or max(col)`);
    const fn = m[1] as AggregateFn;
    const c = column(m[2]!, 'aggregate');
    const numeric = c.type === 'integer' || c.type === 'number';
    if ((fn === 'sum' || fn === 'avg') && !numeric) throw bad(`aggregate: ${fn} needs a number column; ${c.name} is ${c.type}`);
    if ((fn === 'min' || fn === 'max') && (c.type === 'geopoint' || c.type === 'boolean')) throw bad(`aggregate: ${fn} does not apply to ${c.type} columns`);
    return { fn, column: c, name: `${fn}(${c.name})` };
  });
  if (new Set(out.map((a) => a.name)).size !== out.length) throw bad('aggregate: an aggregate is named twice');
  return out;
}

const LAT = ['lat', 'latitude'];
const LON = ['lon', 'lng', 'long', 'longitude'];

/** Where a row is: the first geopoint column, else number columns named lat/latitude and lon/lng/longitude. */
export function positionOf(columns: readonly ColumnSpec[], needs = 'bbox and near need'): NonNullable<QuerySpec['position']> {
  const point = columns.find((c) => c.type === 'geopoint');
  if (point) return { geopoint: point.name };
  const numeric = (names: string[]) => columns.find((c) => c.type === 'number' && names.includes(c.name.toLowerCase()));
  const lat = numeric(LAT);
  const lon = numeric(LON);
  if (lat && lon) return { lon: lon.name, lat: lat.name };
  throw bad(`${needs} point data: a geopoint column, or number columns lat and lon`);
}
