import { describe, expect, it } from 'vitest';
import { planTransforms, type GeoJsonPolygonOrMulti, type TransformSpec } from '../../functions/domain/enforcement/index.ts';
import type { SchemaField } from '../../schemas/dataset.ts';

const fields: SchemaField[] = [
  { name: 'vehicle_id', type: 'string', personal: true },
  { name: 'driver_name', type: 'string', personal: true },
  { name: 'lat', type: 'number' },
  { name: 'lon', type: 'number' },
  { name: 'where', type: 'geopoint' },
  { name: 'zone', type: 'string' },
  { name: 'hour', type: 'integer' },
];

const square = (x: number, y: number, size = 1): GeoJsonPolygonOrMulti => ({
  type: 'Polygon',
  coordinates: [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]],
});

const all: TransformSpec[] = [
  { kind: 'generalise-coordinates', position: { lat: 'lat', lon: 'lon' }, decimals: 2 },
  { kind: 'pseudonymise-fields', fields: ['vehicle_id'] },
  { kind: 'redact-fields', fields: ['driver_name'] },
  { kind: 'drop-fields', fields: ['hour'] },
  { kind: 'k-anonymity', k: 3, quasiIdentifiers: ['zone'] },
  { kind: 'exclusion-zones', position: { geopoint: 'where' }, polygons: [square(2, 48)] },
];

describe('planTransforms: order and collisions', () => {
  it('shouldOrderSteps_when specs come in any order', () => {
    const plan = planTransforms(all, fields);
    expect(plan.steps.map((s) => s.kind)).toEqual([
      'exclusion-zones',
      'k-anonymity',
      'drop-fields',
      'redact-fields',
      'pseudonymise-fields',
      'generalise-coordinates',
    ]);
    expect(plan.needsTwoPasses).toBe(true);
    expect(plan.outputFields).toEqual(['vehicle_id', 'driver_name', 'lat', 'lon', 'where', 'zone']);
  });

  it.each<[string, TransformSpec[], Record<string, string[]>]>([
    [
      'dropped and pseudonymised',
      [{ kind: 'pseudonymise-fields', fields: ['vehicle_id'] }, { kind: 'drop-fields', fields: ['vehicle_id'] }],
      { 'drop-fields': ['vehicle_id'] },
    ],
    [
      'redacted and pseudonymised',
      [{ kind: 'pseudonymise-fields', fields: ['vehicle_id', 'zone'] }, { kind: 'redact-fields', fields: ['vehicle_id'] }],
      { 'redact-fields': ['vehicle_id'], 'pseudonymise-fields': ['zone'] },
    ],
    [
      'dropped and redacted',
      [{ kind: 'redact-fields', fields: ['zone'] }, { kind: 'drop-fields', fields: ['zone'] }],
      { 'drop-fields': ['zone'] },
    ],
    [
      'named twice by one kind',
      [{ kind: 'redact-fields', fields: ['zone', 'zone'] }, { kind: 'redact-fields', fields: ['zone', 'driver_name'] }],
      { 'redact-fields': ['driver_name', 'zone'] },
    ],
  ])('shouldActOnceByTheStrongest_when a field is %s', (_name, specs, expected) => {
    const plan = planTransforms(specs, fields);
    const got = Object.fromEntries(plan.steps.map((s) => [s.kind, 'fields' in s ? s.fields : []]));
    expect(got).toEqual(expected);
  });

  it('shouldDropGeneralisation_when both coordinates are dropped, redacted or pseudonymised', () => {
    const plan = planTransforms(
      [
        { kind: 'generalise-coordinates', position: { lat: 'lat', lon: 'lon' }, decimals: 2 },
        { kind: 'generalise-coordinates', position: { geopoint: 'where' }, decimals: 2 },
        { kind: 'drop-fields', fields: ['lat'] },
        { kind: 'redact-fields', fields: ['lon'] },
      ],
      fields,
    );
    expect(plan.steps.map((s) => s.kind)).toEqual(['drop-fields', 'redact-fields', 'generalise-coordinates']);
    expect(plan.steps[2]).toEqual({ kind: 'generalise-coordinates', position: { geopoint: 'where' }, decimals: 2 });
  });

  it('shouldKeepTheStrictest_when specs of one kind repeat', () => {
    const plan = planTransforms(
      [
        { kind: 'k-anonymity', k: 2, quasiIdentifiers: ['zone'] },
        { kind: 'k-anonymity', k: 5, quasiIdentifiers: ['hour'] },
        { kind: 'generalise-coordinates', position: { lat: 'lat', lon: 'lon' }, decimals: 4 },
        { kind: 'generalise-coordinates', position: { lat: 'lat', lon: 'lon' }, decimals: 1 },
        { kind: 'exclusion-zones', position: { lat: 'lat', lon: 'lon' }, polygons: [square(0, 0)] },
        { kind: 'exclusion-zones', position: { lat: 'lat', lon: 'lon' }, polygons: [square(5, 5), square(0, 0)] },
      ],
      fields,
    );
    expect(plan.steps).toEqual([
      { kind: 'exclusion-zones', position: { lat: 'lat', lon: 'lon' }, polygons: [square(0, 0), square(5, 5)] },
      { kind: 'k-anonymity', k: 5, quasiIdentifiers: ['hour', 'zone'] },
      { kind: 'generalise-coordinates', position: { lat: 'lat', lon: 'lon' }, decimals: 1 },
    ]);
  });

  it.each<[string, TransformSpec[], boolean]>([
    ['no transforms', [], false],
    ['k = 1 (a no-op)', [{ kind: 'k-anonymity', k: 1, quasiIdentifiers: ['zone'] }], false],
    ['k = 2', [{ kind: 'k-anonymity', k: 2, quasiIdentifiers: ['zone'] }], true],
    ['only field transforms', [{ kind: 'drop-fields', fields: ['zone'] }], false],
  ])('shouldSayWhetherTwoPassesAreNeeded_when %s', (_name, specs, two) => {
    expect(planTransforms(specs, fields).needsTwoPasses).toBe(two);
  });
});

describe('planTransforms: fingerprint', () => {
  const base = planTransforms(all, fields).fingerprint;

  it('shouldBeAHexSha256', () => {
    expect(base).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each<[string, TransformSpec[]]>([
    ['specs reversed', [...all].reverse()],
    ['specs rotated', [...all.slice(3), ...all.slice(0, 3)]],
    [
      'fields reordered within a spec, names repeated',
      all.map((s) => (s.kind === 'k-anonymity' ? { ...s, quasiIdentifiers: ['zone', 'zone'] } : s)),
    ],
    ['a collision that the strongest absorbs', [...all, { kind: 'pseudonymise-fields', fields: ['driver_name'] }]],
    ['a spec split in two', [...all.filter((s) => s.kind !== 'pseudonymise-fields'), { kind: 'pseudonymise-fields', fields: [] }, { kind: 'pseudonymise-fields', fields: ['vehicle_id'] }]],
  ])('shouldStayTheSame_when %s', (_name, specs) => {
    expect(planTransforms(specs, fields).fingerprint).toBe(base);
  });

  it('shouldNotDependOnPolygonOrFieldOrder', () => {
    const a = planTransforms(
      [
        { kind: 'exclusion-zones', position: { geopoint: 'where' }, polygons: [square(0, 0), square(3, 3)] },
        { kind: 'redact-fields', fields: ['zone', 'driver_name'] },
      ],
      fields,
    );
    const b = planTransforms(
      [
        { kind: 'redact-fields', fields: ['driver_name', 'zone'] },
        { kind: 'exclusion-zones', position: { geopoint: 'where' }, polygons: [square(3, 3), square(0, 0)] },
      ],
      fields,
    );
    expect(a.fingerprint).toBe(b.fingerprint);
  });

  it.each<[string, (s: TransformSpec) => TransformSpec]>([
    ['decimals change', (s) => (s.kind === 'generalise-coordinates' ? { ...s, decimals: 3 } : s)],
    ['k changes', (s) => (s.kind === 'k-anonymity' ? { ...s, k: 4 } : s)],
    ['a quasi-identifier is added', (s) => (s.kind === 'k-anonymity' ? { ...s, quasiIdentifiers: ['zone', 'hour'] } : s)],
    ['another field is pseudonymised', (s) => (s.kind === 'pseudonymise-fields' ? { ...s, fields: ['zone'] } : s)],
    ['a polygon moves', (s) => (s.kind === 'exclusion-zones' ? { ...s, polygons: [square(2, 48.5)] } : s)],
    ['the position changes', (s) => (s.kind === 'exclusion-zones' ? { ...s, position: { lat: 'lat', lon: 'lon' } } : s)],
    ['drop becomes redact', (s) => (s.kind === 'drop-fields' ? { kind: 'redact-fields', fields: s.fields } : s)],
  ])('shouldChange_when %s', (_name, change) => {
    expect(planTransforms(all.map(change), fields).fingerprint).not.toBe(base);
  });
});

describe('planTransforms: validation', () => {
  it.each<[string, TransformSpec, string]>([
    ['drop-fields', { kind: 'drop-fields', fields: ['ghost'] }, 'ghost'],
    ['redact-fields', { kind: 'redact-fields', fields: ['driver_name', 'nobody'] }, 'nobody'],
    ['pseudonymise-fields', { kind: 'pseudonymise-fields', fields: ['plate'] }, 'plate'],
    ['k-anonymity', { kind: 'k-anonymity', k: 2, quasiIdentifiers: ['age'] }, 'age'],
    ['generalise-coordinates', { kind: 'generalise-coordinates', position: { lat: 'latitude', lon: 'lon' }, decimals: 2 }, 'latitude'],
    ['exclusion-zones', { kind: 'exclusion-zones', position: { geopoint: 'position' }, polygons: [] }, 'position'],
    ['k-anonymity with k = 1', { kind: 'k-anonymity', k: 1, quasiIdentifiers: ['unknown_qi'] }, 'unknown_qi'],
  ])('shouldReject_when %s names an unknown field', (_name, spec, field) => {
    expect(() => planTransforms([spec], fields)).toThrow(RangeError);
    expect(() => planTransforms([spec], fields)).toThrow(field);
  });

  it.each<[string, TransformSpec, RegExp]>([
    ['a geopoint position names a number field', { kind: 'exclusion-zones', position: { geopoint: 'lat' }, polygons: [] }, /"lat" is not a geopoint/],
    ['a lat/lon position names a string field', { kind: 'generalise-coordinates', position: { lat: 'zone', lon: 'lon' }, decimals: 1 }, /"zone" is not a number field/],
    ['lat and lon are one field', { kind: 'generalise-coordinates', position: { lat: 'lat', lon: 'lat' }, decimals: 1 }, /both lat and lon/],
    ['decimals exceed 6', { kind: 'generalise-coordinates', position: { geopoint: 'where' }, decimals: 7 }, /decimals/],
    ['decimals are fractional', { kind: 'generalise-coordinates', position: { geopoint: 'where' }, decimals: 1.5 }, /decimals/],
    ['every field is dropped', { kind: 'drop-fields', fields: ['vehicle_id', 'driver_name', 'lat', 'lon', 'where', 'zone', 'hour'] }, /every field/],
    ['k is 0', { kind: 'k-anonymity', k: 0, quasiIdentifiers: ['zone'] }, /k must be/],
    ['no quasi-identifiers', { kind: 'k-anonymity', k: 2, quasiIdentifiers: [] }, /quasiIdentifiers/],
    [
      'a ring is open',
      { kind: 'exclusion-zones', position: { geopoint: 'where' }, polygons: [{ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1]]] }] },
      /closed|4 positions/,
    ],
    [
      'a position is out of range',
      { kind: 'exclusion-zones', position: { geopoint: 'where' }, polygons: [{ type: 'Polygon', coordinates: [[[0, 0], [200, 0], [1, 1], [0, 0]]] }] },
      /range/,
    ],
    [
      'the geometry is a point',
      { kind: 'exclusion-zones', position: { geopoint: 'where' }, polygons: [{ type: 'Point', coordinates: [0, 0] } as unknown as GeoJsonPolygonOrMulti] },
      /Point/,
    ],
  ])('shouldReject_when %s', (_name, spec, message) => {
    expect(() => planTransforms([spec], fields)).toThrow(RangeError);
    expect(() => planTransforms([spec], fields)).toThrow(message);
  });
});
