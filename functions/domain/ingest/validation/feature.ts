import type { RecordChecker } from './record.ts';
import { isObject } from './record.ts';
import type { Tally } from './report.ts';

/** Checks one GeoJSON Feature: its type, its geometry's shape, and its properties against the schema. */
export function checkFeature(value: unknown, row: number, tally: Tally, checker: RecordChecker): void {
  if (!isObject(value)) {
    tally.issue(row, undefined, 'feature is not an object');
    return;
  }
  if (value.type !== 'Feature') tally.issue(row, undefined, 'type must be "Feature"');
  const reason = geometryProblem(value);
  if (reason !== undefined) tally.issue(row, undefined, reason);
  const props = value.properties;
  if (props === undefined || props === null) checker.checkProperties({}, row);
  else if (isObject(props)) checker.checkProperties(props, row);
  else tally.issue(row, undefined, 'properties must be an object or null');
}

function geometryProblem(feature: Record<string, unknown>): string | undefined {
  if (!Object.hasOwn(feature, 'geometry')) return 'geometry missing';
  const g = feature.geometry;
  if (g === null) return undefined;
  if (!isObject(g) || typeof g.type !== 'string') return 'geometry must be null or an object with a string type';
  if (g.type === 'GeometryCollection') return Array.isArray(g.geometries) ? undefined : 'geometries must be an array';
  return Array.isArray(g.coordinates) ? undefined : 'coordinates must be an array';
}
