import { describe, expect, it } from 'vitest';
import { createValidator } from '../../functions/domain/ingest/validation/index.ts';
import type { QualityReport, SchemaField } from '../../schemas/dataset.ts';

const fields: SchemaField[] = [
  { name: 'id', type: 'integer', required: true },
  { name: 'label', type: 'string' },
  { name: 'entrance', type: 'geopoint' },
];

type Input = string | Uint8Array;

function bytes(input: Input): Uint8Array {
  return typeof input === 'string' ? new TextEncoder().encode(input) : input;
}

/** Validates `input` as GeoJSON, fed in chunks cut at `cuts` (offsets). */
function geojson(input: Input, opts: { cuts?: number[]; maxErrors?: number; maxRecordBytes?: number } = {}): QualityReport {
  const all = bytes(input);
  const v = createValidator('geojson', fields, { maxErrors: opts.maxErrors, maxRecordBytes: opts.maxRecordBytes });
  let at = 0;
  for (const cut of [...(opts.cuts ?? []), all.length]) {
    v.push(all.slice(at, cut));
    at = cut;
  }
  return v.finish();
}

const point = (id: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'Feature',
  geometry: { type: 'Point', coordinates: [2.35, 48.85] },
  properties: { id, label: `n°${String(id)}`, ...extra },
});

const collection = (features: unknown[], before: Record<string, unknown> = {}, after: Record<string, unknown> = {}): string =>
  JSON.stringify({ ...before, features, ...after });

describe('GeoJSON validation: the collection', () => {
  it.each([
    ['type before features', collection([point(1), point(2)], { type: 'FeatureCollection' })],
    ['type after features', collection([point(1), point(2)], {}, { type: 'FeatureCollection' })],
    [
      'other members on both sides',
      collection([point(1), point(2)], { name: 'arrêts', crs: { type: 'name', properties: { name: 'EPSG:4326' } } }, { type: 'FeatureCollection', bbox: [0, 0, 1, 1] }),
    ],
    ['pretty-printed', JSON.stringify({ type: 'FeatureCollection', features: [point(1), point(2)] }, null, 2)],
    ['a UTF-8 BOM', `\uFEFF${collection([point(1), point(2)], { type: 'FeatureCollection' })}`],
  ])('shouldAccept_when %s', (_name, input) => {
    const r = geojson(input);
    expect(r.errors).toEqual([]);
    expect(r.rows).toBe(2);
  });

  it('shouldAccept_when there are no features', () => {
    expect(geojson('{"type":"FeatureCollection","features":[]}')).toMatchObject({ rows: 0, errorCount: 0 });
  });

  it.each([
    ['type is not FeatureCollection', collection([point(1)], { type: 'Feature' }), [{ row: 0, reason: 'type must be "FeatureCollection"' }], 1],
    ['type is missing', collection([point(1)]), [{ row: 0, reason: 'type must be "FeatureCollection"' }], 1],
    ['features is missing', '{"type":"FeatureCollection"}', [{ row: 0, reason: 'features missing' }], 0],
    ['features is not an array', '{"type":"FeatureCollection","features":{}}', [{ row: 0, reason: 'features must be an array' }], 0],
    ['the top level is an array', '[]', [{ row: 0, reason: 'expected a GeoJSON FeatureCollection object' }], 0],
    ['the file is empty', '  ', [{ row: 0, reason: 'empty file' }], 0],
    ['a top-level member is malformed', '{"type":"FeatureCollection","bbox":[1,,2],"features":[]}', [{ row: 0, reason: 'malformed JSON' }], 0],
    ['content follows the collection', '{"type":"FeatureCollection","features":[]} x', [{ row: 0, reason: 'unexpected content after the FeatureCollection' }], 0],
  ])('shouldReject_when %s', (_name, input, errors, rows) => {
    const r = geojson(input);
    expect(r.errors).toEqual(errors);
    expect(r.rows).toBe(rows);
  });

  it.each([
    ['a feature is malformed', '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":{"id":1}},{"type":"Feature",]}', 2],
    ['a comma is missing between features', '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":{"id":1}} {}]}', 2],
    ['the features array has a trailing comma', '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":{"id":1}},]}', 2],
    ['the file stops inside a feature', '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":{"id":1}},{"type":', 2],
    ['the file stops after a feature', '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":{"id":1}}', 2],
  ])('shouldReject_when %s, with its row, and stop', (_name, input, row) => {
    const r = geojson(input);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ row });
    expect(r.rows).toBe(1);
  });
});

describe('GeoJSON validation: features', () => {
  it.each([
    ['a null geometry', { ...point(1), geometry: null }],
    ['a polygon', { ...point(1), geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] } }],
    ['a geometry collection', { ...point(1), geometry: { type: 'GeometryCollection', geometries: [] } }],
    ['an id and a bbox', { ...point(1), id: 'a', bbox: [0, 0, 1, 1] }],
    ['a geopoint property as a string', point(1, { entrance: '2.35, 48.85' })],
    ['a geopoint property as an array', point(1, { entrance: [2.35, 48.85] })],
    ['a geopoint property as an object', point(1, { entrance: { lon: 2.35, lat: 48.85 } })],
  ])('shouldAccept_when a feature has %s', (_name, feature) => {
    expect(geojson(collection([feature], { type: 'FeatureCollection' })).errors).toEqual([]);
  });

  it.each([
    ['is not an object', [1, 2], 'feature is not an object'],
    ['has the wrong type', { ...point(1), type: 'Point' }, 'type must be "Feature"'],
    ['has no geometry member', { type: 'Feature', properties: { id: 1 } }, 'geometry missing'],
    ['has a string geometry', { ...point(1), geometry: 'POINT(1 2)' }, 'geometry must be null or an object with a string type'],
    ['has a geometry without type', { ...point(1), geometry: { coordinates: [1, 2] } }, 'geometry must be null or an object with a string type'],
    ['has a geometry without coordinates', { ...point(1), geometry: { type: 'Point' } }, 'coordinates must be an array'],
    ['has coordinates that are not an array', { ...point(1), geometry: { type: 'Point', coordinates: '1 2' } }, 'coordinates must be an array'],
    ['has a geometry collection without geometries', { ...point(1), geometry: { type: 'GeometryCollection' } }, 'geometries must be an array'],
    ['has array properties', { ...point(1), properties: [1] }, 'properties must be an object or null'],
  ])('shouldReject_when a feature %s', (_name, feature, reason) => {
    const r = geojson(collection([point(0), feature], { type: 'FeatureCollection' }));
    expect(r.errors).toEqual([{ row: 2, reason }]);
    expect(r.rows).toBe(2);
  });

  it('shouldValidateProperties_when they are an object or null', () => {
    const r = geojson(
      collection(
        [
          point('1'),
          point(2, { entrance: [200, 0], colour: 'red' }),
          { type: 'Feature', geometry: null, properties: null },
          { type: 'Feature', geometry: null },
          point(5, { label: null }),
        ],
        { type: 'FeatureCollection' },
      ),
    );
    expect(r).toEqual({
      rows: 5,
      errorCount: 5,
      errors: [
        { row: 1, field: 'id', reason: 'not an integer' },
        { row: 2, field: 'entrance', reason: 'not a geopoint (lon, lat)' },
        { row: 2, field: 'colour', reason: 'property not in schema' },
        { row: 3, field: 'id', reason: 'required' },
        { row: 4, field: 'id', reason: 'required' },
      ],
      truncated: false,
      emptyCounts: { id: 2, label: 3, entrance: 4 },
    });
  });

  it('shouldReject_when a feature exceeds maxRecordBytes, then go on with the next', () => {
    const input = collection([point(1, { label: 'x'.repeat(300) }), point('2')], { type: 'FeatureCollection' });
    const expected = [
      { row: 1, reason: 'feature exceeds 200 bytes' },
      { row: 2, field: 'id', reason: 'not an integer' },
    ];
    expect(geojson(input, { maxRecordBytes: 200 }).errors).toEqual(expected);
    expect(geojson(input, { maxRecordBytes: 200, cuts: [50, 100, 150, 200, 250, 300, 350] }).errors).toEqual(expected);
  });

  it('shouldCapStoredErrors_when there are more than maxErrors', () => {
    const r = geojson(collection(Array.from({ length: 4 }, (_, k) => point(k, { entrance: 'here' })), { type: 'FeatureCollection' }), { maxErrors: 2 });
    expect(r).toMatchObject({ rows: 4, errorCount: 4, truncated: true });
    expect(r.errors).toEqual([
      { row: 1, field: 'entrance', reason: 'not a geopoint (lon, lat)' },
      { row: 2, field: 'entrance', reason: 'not a geopoint (lon, lat)' },
    ]);
  });
});

describe('GeoJSON validation: streaming', () => {
  const features = [
    point(1, { entrance: '2.35, 48.85' }),
    { ...point('2', { label: 'quote " and } ] inside', extra: true }), geometry: { type: 'Point' } },
    { type: 'Feature', geometry: null, properties: null },
    point(4, { label: 'é€😀' }),
  ];

  it.each([
    ['features first', collection(features, {}, { type: 'FeatureCollection', name: 'x' })],
    ['features last, pretty-printed', JSON.stringify({ type: 'FeatureCollection', 'na"me': '[{', features }, null, 1)],
  ])('shouldReportTheSameIssues_when the collection (%s) is split at every possible byte boundary', (_name, input) => {
    const whole = geojson(input);
    expect(whole.rows).toBe(4);
    expect(whole.errorCount).toBe(4);
    const n = bytes(input).length;
    for (let cut = 0; cut <= n; cut++) expect(geojson(input, { cuts: [cut] }), `cut at ${cut}`).toEqual(whole);
    expect(geojson(input, { cuts: Array.from({ length: n }, (_, k) => k) })).toEqual(whole);
  });
});
