/** A position: one `geopoint` field ("lon, lat"), or a pair of number fields. */
export type PositionRef = { geopoint: string } | { lat: string; lon: string };

/** A GeoJSON position, `[lon, lat]` (further members ignored). */
export type GeoJsonPosition = readonly number[];

/** A GeoJSON Polygon geometry: an outer ring then holes, each ring closed. */
export interface GeoJsonPolygon {
  readonly type: 'Polygon';
  readonly coordinates: readonly (readonly GeoJsonPosition[])[];
}

/** A GeoJSON MultiPolygon geometry. */
export interface GeoJsonMultiPolygon {
  readonly type: 'MultiPolygon';
  readonly coordinates: readonly (readonly (readonly GeoJsonPosition[])[])[];
}

export type GeoJsonPolygonOrMulti = GeoJsonPolygon | GeoJsonMultiPolygon;

/** One transform clause, with the fields it acts on. */
export type TransformSpec =
  | { kind: 'exclusion-zones'; position: PositionRef; polygons: readonly GeoJsonPolygonOrMulti[] }
  | { kind: 'k-anonymity'; k: number; quasiIdentifiers: readonly string[] }
  | { kind: 'drop-fields'; fields: readonly string[] }
  | { kind: 'redact-fields'; fields: readonly string[] }
  | { kind: 'pseudonymise-fields'; fields: readonly string[] }
  | { kind: 'generalise-coordinates'; position: PositionRef; decimals: number };

export type TransformKind = TransformSpec['kind'];

/** The normalised transforms of a licence, in the order they run. */
export interface TransformPlan {
  readonly steps: readonly TransformSpec[];
  /** Lower-case hex SHA-256 of the normalised steps: equal plans produce equal bytes. */
  readonly fingerprint: string;
  /** True when k-anonymity needs a first counting pass over the file. */
  readonly needsTwoPasses: boolean;
  /** Schema fields left after drop-fields, in schema order. */
  readonly outputFields: readonly string[];
}

/**
 * Sizes of the quasi-identifier groups of a file, from createGroupCounter.
 * Memory: one map entry per distinct quasi-identifier combination (the only part that is not constant).
 */
export interface GroupCounts {
  /** Fingerprint of the plan the counts were made for. */
  readonly fingerprint: string;
  /** Data rows counted (rows outside every exclusion zone). */
  readonly rows: number;
  readonly groups: ReadonlyMap<string, number>;
}

/** Row counts of one transformer run. */
export interface TransformStats {
  rowsIn: number;
  rowsOut: number;
  rowsDropped: { zone: number; kAnonymity: number };
}

/** Streams CSV through a plan: push() returns output bytes ready so far; finish() the rest. */
export interface CsvTransformer {
  push(chunk: Uint8Array): Uint8Array;
  finish(): Uint8Array;
  stats(): TransformStats;
}

/** First pass of k-anonymity. */
export interface GroupCounter {
  push(chunk: Uint8Array): void;
  finish(): GroupCounts;
}
