// Enforced variants: pure streaming transforms of a published CSV version (no I/O, no clock).
export type {
  CsvTransformer,
  GeoJsonMultiPolygon,
  GeoJsonPolygon,
  GeoJsonPolygonOrMulti,
  GeoJsonPosition,
  GroupCounter,
  GroupCounts,
  PositionRef,
  TransformKind,
  TransformPlan,
  TransformSpec,
  TransformStats,
} from './types.ts';
export type { CsvTransformerOptions } from './csv-transformer.ts';
export { planTransforms, MAX_DECIMALS } from './plan.ts';
export { createGroupCounter } from './k-anonymity.ts';
export { createCsvTransformer } from './csv-transformer.ts';
export { PSEUDONYM_LENGTH } from './pseudonymise.ts';
