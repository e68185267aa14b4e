import { FILTER_OPERATORS } from '../../../schemas/query.ts';

/** The three views of a preview. */
export const VIEWS = ['table', 'map', 'chart'] as const;
export type PreviewView = (typeof VIEWS)[number];
export type FilterOperator = (typeof FILTER_OPERATORS)[number];
export const OPERATORS: readonly FilterOperator[] = FILTER_OPERATORS;
export const AGGREGATES = ['count', 'sum', 'avg', 'min', 'max'] as const;
export type AggregateFn = (typeof AGGREGATES)[number];

/** One `column__operator=value` filter of the records grammar. */
export interface PreviewFilter {
  readonly column: string;
  readonly operator: FilterOperator;
  readonly value: string;
}

/** What a preview shows: its view and the query behind it, as a URL can carry it (embeds do). */
export interface PreviewState {
  readonly view: PreviewView;
  readonly filters: readonly PreviewFilter[];
  /** `column` ascending, `-column` descending. */
  readonly orderBy?: string;
  /** Columns shown; absent: every column. */
  readonly select?: readonly string[];
  readonly groupBy?: string;
  readonly aggregate: AggregateFn;
  /** The numeric column `sum`, `avg`, `min` and `max` read. */
  readonly measure?: string;
}

/** A column of an answer, as the records route names it. */
export interface Field {
  readonly name: string;
  readonly type: string;
}

const FILTER_KEY = new RegExp(`^(.+)__(${FILTER_OPERATORS.join('|')})$`);

/** The state a URL query describes (unknown parameters ignored). */
export function stateFromQuery(q: URLSearchParams): PreviewState {
  const view = (VIEWS as readonly string[]).includes(q.get('view') ?? '') ? (q.get('view') as PreviewView) : 'table';
  const filters: PreviewFilter[] = [];
  for (const [key, value] of q) {
    const m = FILTER_KEY.exec(key);
    if (m) filters.push({ column: m[1]!, operator: m[2] as FilterOperator, value });
  }
  const aggregate = /^(sum|avg|min|max)\((.+)\)$/.exec(q.get('aggregate') ?? '');
  const select = q.get('select')?.split(',').filter(Boolean);
  return {
    view,
    filters,
    ...(q.get('order_by') ? { orderBy: q.get('order_by')! } : {}),
    ...(select?.length ? { select } : {}),
    ...(q.get('group_by') ? { groupBy: q.get('group_by')! } : {}),
    aggregate: aggregate ? (aggregate[1] as AggregateFn) : 'count',
    ...(aggregate ? { measure: aggregate[2]! } : {}),
  };
}

/** The URL query of a state: the records grammar itself, plus `view`. */
export function stateToQuery(s: PreviewState): Record<string, string> {
  return { view: s.view, ...(s.view === 'chart' ? chartQuery(s) : tableQuery(s)) };
}

/** The filters as records parameters (one per column and operator: the last one wins). */
export function filterQuery(s: Pick<PreviewState, 'filters'>): Record<string, string> {
  return Object.fromEntries(s.filters.map((f) => [`${f.column}__${f.operator}`, f.value]));
}

/** A table page's parameters: filters, sort and columns. */
export function tableQuery(s: PreviewState): Record<string, string> {
  return { ...filterQuery(s), ...(s.orderBy ? { order_by: s.orderBy } : {}), ...(s.select?.length ? { select: s.select.join(',') } : {}) };
}

/** The `aggregate` parameter: `count` or `fn(measure)`. */
export const aggregateOf = (s: Pick<PreviewState, 'aggregate' | 'measure'>): string => (s.aggregate === 'count' || !s.measure ? 'count' : `${s.aggregate}(${s.measure})`);

/** A chart's parameters: filters, the group and its aggregate (none until a column is chosen). */
export function chartQuery(s: PreviewState): Record<string, string> {
  return { ...filterQuery(s), ...(s.groupBy ? { group_by: s.groupBy, aggregate: aggregateOf(s), order_by: s.groupBy } : {}) };
}

/** The next sort of a column whose header is pressed: ascending, then descending, then none. */
export function nextOrder(current: string | undefined, column: string): string | undefined {
  if (current === column) return `-${column}`;
  if (current === `-${column}`) return undefined;
  return column;
}

/** `aria-sort` of a column under the current sort. */
export function ariaSort(current: string | undefined, column: string): 'ascending' | 'descending' | 'none' {
  return current === column ? 'ascending' : current === `-${column}` ? 'descending' : 'none';
}

/** Where rows are, as the records route finds it: the first geopoint column, else number columns lat and lon. */
export type Position = { readonly geopoint: string } | { readonly lon: string; readonly lat: string };

const LAT = ['lat', 'latitude'];
const LON = ['lon', 'lng', 'long', 'longitude'];

/** The point columns of an answer, or undefined when it has no point data (no map then). */
export function positionOf(fields: readonly Field[]): Position | undefined {
  const point = fields.find((f) => f.type === 'geopoint');
  if (point) return { geopoint: point.name };
  const numeric = (names: string[]) => fields.find((f) => names.includes(f.name.toLowerCase()) && (f.type === 'number' || f.type === 'integer'));
  const lat = numeric(LAT);
  const lon = numeric(LON);
  return lat && lon ? { lon: lon.name, lat: lat.name } : undefined;
}

/** A record's `[lat, lon]`, or undefined when it has none. */
export function pointOf(record: Readonly<Record<string, unknown>>, position: Position): [number, number] | undefined {
  const [lon, lat] = 'geopoint' in position
    ? [(record[position.geopoint] as { lon?: unknown } | null)?.lon, (record[position.geopoint] as { lat?: unknown } | null)?.lat]
    : [record[position.lon], record[position.lat]];
  return typeof lon === 'number' && typeof lat === 'number' ? [lat, lon] : undefined;
}

/** A cell's text: geopoints as `lat, lon`, nulls as a dash. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') {
    const p = value as { lon?: unknown; lat?: unknown };
    return typeof p.lon === 'number' && typeof p.lat === 'number' ? `${p.lat}, ${p.lon}` : JSON.stringify(value);
  }
  return String(value);
}
