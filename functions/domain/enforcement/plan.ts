import { createHash } from 'node:crypto';
import type { SchemaField } from '../../../schemas/dataset.ts';
import type { GeoJsonPolygonOrMulti, GeoJsonPosition, PositionRef, TransformPlan, TransformSpec } from './types.ts';

type Step<K extends TransformSpec['kind']> = Extract<TransformSpec, { kind: K }>;

/** Highest number of decimals generalise-coordinates may keep. */
export const MAX_DECIMALS = 6;

/**
 * Orders specs (exclusion zones, k-anonymity, drop, redact, pseudonymise, generalise), resolves collisions on a
 * field (drop > redact > pseudonymise > generalise: a field named twice is acted on once, by the strongest), merges
 * specs of one kind (union of fields and polygons, largest k over the union of quasi-identifiers, fewest decimals),
 * validates field names and types against the schema (RangeError naming the field otherwise), and computes a
 * stable SHA-256 fingerprint of the normalised plan (independent of spec order and of field order within a spec).
 */
export function planTransforms(specs: readonly TransformSpec[], fields: readonly SchemaField[]): TransformPlan {
  const types = new Map(fields.map((f) => [f.name, f.type]));
  const field = (name: unknown, kind: string): string => {
    if (typeof name !== 'string' || !types.has(name)) throw new RangeError(`${kind}: unknown field "${String(name)}"`);
    return name;
  };
  const position = (ref: PositionRef, kind: string): PositionRef => {
    if ('geopoint' in ref) {
      const name = field(ref.geopoint, kind);
      if (types.get(name) !== 'geopoint') throw new RangeError(`${kind}: field "${name}" is not a geopoint`);
      return { geopoint: name };
    }
    const lat = field(ref.lat, kind);
    const lon = field(ref.lon, kind);
    for (const name of [lat, lon]) {
      const t = types.get(name);
      if (t !== 'number' && t !== 'integer') throw new RangeError(`${kind}: field "${name}" is not a number field`);
    }
    if (lat === lon) throw new RangeError(`${kind}: field "${lat}" cannot be both lat and lon`);
    return { lat, lon };
  };

  const zones = new Map<string, { position: PositionRef; polygons: Map<string, GeoJsonPolygonOrMulti> }>();
  let k = 0;
  const quasi = new Set<string>();
  const drop = new Set<string>();
  const redact = new Set<string>();
  const pseudo = new Set<string>();
  const round = new Map<string, { position: PositionRef; decimals: number }>();

  for (const spec of specs) {
    switch (spec.kind) {
      case 'exclusion-zones': {
        const pos = position(spec.position, spec.kind);
        const key = positionKey(pos);
        const entry = zones.get(key) ?? { position: pos, polygons: new Map() };
        zones.set(key, entry);
        if (!Array.isArray(spec.polygons)) throw new RangeError('exclusion-zones: polygons must be an array');
        for (const p of spec.polygons) {
          const g = normalisePolygon(p);
          entry.polygons.set(JSON.stringify(g), g);
        }
        break;
      }
      case 'k-anonymity': {
        if (!Number.isInteger(spec.k) || spec.k < 1) throw new RangeError('k-anonymity: k must be an integer >= 1');
        if (!Array.isArray(spec.quasiIdentifiers) || spec.quasiIdentifiers.length === 0) {
          throw new RangeError('k-anonymity: quasiIdentifiers must name at least one field');
        }
        if (spec.k === 1) {
          // Every group has at least one row: nothing to suppress, but the names must still exist.
          for (const f of spec.quasiIdentifiers) field(f, spec.kind);
          break;
        }
        // Groups over the union refine each spec's groups, so keeping groups of >= max k satisfies every spec.
        k = Math.max(k, spec.k);
        for (const f of spec.quasiIdentifiers) quasi.add(field(f, spec.kind));
        break;
      }
      case 'drop-fields':
      case 'redact-fields':
      case 'pseudonymise-fields': {
        const into = spec.kind === 'drop-fields' ? drop : spec.kind === 'redact-fields' ? redact : pseudo;
        if (!Array.isArray(spec.fields)) throw new RangeError(`${spec.kind}: fields must be an array`);
        for (const f of spec.fields) into.add(field(f, spec.kind));
        break;
      }
      case 'generalise-coordinates': {
        const pos = position(spec.position, spec.kind);
        if (!Number.isInteger(spec.decimals) || spec.decimals < 0 || spec.decimals > MAX_DECIMALS) {
          throw new RangeError(`generalise-coordinates: decimals must be an integer from 0 to ${MAX_DECIMALS}`);
        }
        const key = positionKey(pos);
        const prev = round.get(key);
        round.set(key, { position: pos, decimals: Math.min(prev?.decimals ?? MAX_DECIMALS, spec.decimals) });
        break;
      }
      default:
        throw new RangeError(`unknown transform kind "${(spec as { kind: unknown }).kind}"`);
    }
  }

  if (fields.length > 0 && fields.every((f) => drop.has(f.name))) throw new RangeError('drop-fields: dropping every field leaves nothing to deliver');
  for (const f of drop) {
    redact.delete(f);
    pseudo.delete(f);
  }
  for (const f of redact) pseudo.delete(f);
  // A coordinate that is dropped, redacted or pseudonymised has no number left to round.
  const overridden = (name: string): boolean => drop.has(name) || redact.has(name) || pseudo.has(name);

  const steps: TransformSpec[] = [];
  for (const key of [...zones.keys()].sort()) {
    const z = zones.get(key)!;
    if (z.polygons.size === 0) continue;
    const polygons = [...z.polygons.keys()].sort().map((s) => z.polygons.get(s)!);
    steps.push({ kind: 'exclusion-zones', position: z.position, polygons } satisfies Step<'exclusion-zones'>);
  }
  if (k > 1) steps.push({ kind: 'k-anonymity', k, quasiIdentifiers: sorted(quasi) });
  if (drop.size > 0) steps.push({ kind: 'drop-fields', fields: sorted(drop) });
  if (redact.size > 0) steps.push({ kind: 'redact-fields', fields: sorted(redact) });
  if (pseudo.size > 0) steps.push({ kind: 'pseudonymise-fields', fields: sorted(pseudo) });
  for (const key of [...round.keys()].sort()) {
    const r = round.get(key)!;
    const names = 'geopoint' in r.position ? [r.position.geopoint] : [r.position.lat, r.position.lon];
    if (names.every(overridden)) continue;
    steps.push({ kind: 'generalise-coordinates', position: r.position, decimals: r.decimals });
  }

  const fingerprint = createHash('sha256').update(JSON.stringify({ v: 1, steps })).digest('hex');
  return {
    steps,
    fingerprint,
    needsTwoPasses: k > 1,
    outputFields: fields.map((f) => f.name).filter((n) => !drop.has(n)),
  };
}

function sorted(names: Set<string>): string[] {
  return [...names].sort();
}

function positionKey(p: PositionRef): string {
  return 'geopoint' in p ? `g\u0000${p.geopoint}` : `l\u0000${p.lat}\u0000${p.lon}`;
}

/** Rebuilds a geometry from its type and `[lon, lat]` positions only, checking its shape. */
function normalisePolygon(p: GeoJsonPolygonOrMulti): GeoJsonPolygonOrMulti {
  if (p === null || typeof p !== 'object') throw new RangeError('exclusion-zones: a polygon must be a GeoJSON Polygon or MultiPolygon');
  if (p.type === 'Polygon') return { type: 'Polygon', coordinates: rings(p.coordinates) };
  if (p.type === 'MultiPolygon') {
    if (!Array.isArray(p.coordinates) || p.coordinates.length === 0) throw new RangeError('exclusion-zones: a MultiPolygon needs at least one polygon');
    return { type: 'MultiPolygon', coordinates: p.coordinates.map(rings) };
  }
  throw new RangeError(`exclusion-zones: unsupported geometry type "${String((p as { type: unknown }).type)}"`);
}

function rings(polygon: readonly (readonly GeoJsonPosition[])[]): number[][][] {
  if (!Array.isArray(polygon) || polygon.length === 0) throw new RangeError('exclusion-zones: a polygon needs an outer ring');
  return polygon.map((ring) => {
    if (!Array.isArray(ring) || ring.length < 4) throw new RangeError('exclusion-zones: a ring needs at least 4 positions');
    const out = ring.map((pos) => {
      const lon = pos[0];
      const lat = pos[1];
      if (typeof lon !== 'number' || typeof lat !== 'number' || !(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90)) {
        throw new RangeError('exclusion-zones: positions must be [lon, lat] within range');
      }
      return [lon, lat];
    });
    const first = out[0]!;
    const last = out[out.length - 1]!;
    if (first[0] !== last[0] || first[1] !== last[1]) throw new RangeError('exclusion-zones: a ring must be closed');
    return out;
  });
}
