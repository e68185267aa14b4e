import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { createCsvTransformer, createGroupCounter, planTransforms, type TransformPlan, type TransformSpec } from '../../functions/domain/enforcement/index.ts';
import type { SchemaField } from '../../schemas/dataset.ts';

const KEY = new Uint8Array(32).fill(3);
const NAMES = ['a', 'b', 'c', 'lat', 'lon', 'g'] as const;
const fields: SchemaField[] = [
  { name: 'a', type: 'string' },
  { name: 'b', type: 'string' },
  { name: 'c', type: 'string' },
  { name: 'lat', type: 'number' },
  { name: 'lon', type: 'number' },
  { name: 'g', type: 'geopoint' },
];
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** Text cells with everything CSV has to escape, plus multi-byte characters. */
const textArb = fc.string({ unit: fc.constantFrom('x', 'y', '1', ' ', ',', ';', '"', '\n', '\r', 'é', '€', '𝄞', '.'), maxLength: 8 });
const numberArb = fc.oneof(
  fc.double({ min: -90, max: 90, noNaN: true }).map((v) => v.toFixed(6)),
  fc.integer({ min: -180, max: 180 }).map(String),
  fc.constantFrom('', 'abc', '1e2', '-0.0005'),
);
const geoArb = fc.oneof(
  fc.tuple(numberArb, numberArb).map(([lon, lat]) => `${lon}, ${lat}`),
  textArb,
);
const rowArb = fc.tuple(textArb, textArb, textArb, numberArb, numberArb, geoArb);

const csvArb = fc.record({
  delimiter: fc.constantFrom(',', ';'),
  eol: fc.constantFrom('\n', '\r\n'),
  bom: fc.boolean(),
  finalEol: fc.boolean(),
  quoteAll: fc.boolean(),
  rows: fc.array(rowArb, { maxLength: 12 }),
});
type Csv = { delimiter: string; eol: string; bom: boolean; finalEol: boolean; quoteAll: boolean; rows: string[][] };

function encode(csv: Csv): string {
  const cell = (v: string): string =>
    csv.quoteAll || v.includes(csv.delimiter) || /["\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
  const lines = [NAMES.join(csv.delimiter), ...csv.rows.map((r) => r.map(cell).join(csv.delimiter))];
  return (csv.bom ? '\uFEFF' : '') + lines.join(csv.eol) + (csv.finalEol ? csv.eol : '');
}

// planTransforms refuses to drop every field, so at least one is kept.
const fieldSpecsArb = fc.record({
  drop: fc.subarray([...NAMES], { maxLength: NAMES.length - 1 }),
  redact: fc.subarray([...NAMES]),
  pseudonymise: fc.subarray([...NAMES]),
});
const specsArb: fc.Arbitrary<TransformSpec[]> = fc
  .tuple(
    fieldSpecsArb,
    fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
    fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
    fc.boolean(),
    fc.option(fc.integer({ min: 2, max: 3 }), { nil: undefined }),
  )
  .map(([f, latlon, geo, zone, k]) => {
    const specs: TransformSpec[] = [
      { kind: 'drop-fields', fields: f.drop },
      { kind: 'redact-fields', fields: f.redact },
      { kind: 'pseudonymise-fields', fields: f.pseudonymise },
    ];
    if (latlon !== undefined) specs.push({ kind: 'generalise-coordinates', position: { lat: 'lat', lon: 'lon' }, decimals: latlon });
    if (geo !== undefined) specs.push({ kind: 'generalise-coordinates', position: { geopoint: 'g' }, decimals: geo });
    if (zone) {
      specs.push({ kind: 'exclusion-zones', position: { lat: 'lat', lon: 'lon' }, polygons: [{ type: 'Polygon', coordinates: [[[-90, -45], [0, -45], [0, 45], [-90, 45], [-90, -45]]] }] });
    }
    if (k !== undefined) specs.push({ kind: 'k-anonymity', k, quasiIdentifiers: ['a'] });
    return specs;
  });

/** Cut points inside a byte length, as sorted unique offsets. */
const cutsArb = (length: number): fc.Arbitrary<number[]> =>
  fc.uniqueArray(fc.integer({ min: 0, max: Math.max(0, length) }), { maxLength: 12 }).map((c) => c.sort((x, y) => x - y));

function transform(plan: TransformPlan, bytes: Uint8Array, cuts: number[]): string {
  const pieces: Uint8Array[] = [];
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    pieces.push(bytes.slice(at, cut));
    at = cut;
  }
  let groupCounts;
  if (plan.needsTwoPasses) {
    const counter = createGroupCounter(plan);
    pieces.forEach((p) => counter.push(p));
    groupCounts = counter.finish();
  }
  const t = createCsvTransformer(plan, { hmacKey: KEY, groupCounts });
  const out = pieces.map((p) => decoder.decode(t.push(p), { stream: true }));
  return out.join('') + decoder.decode(t.finish());
}

describe('CSV transforms: properties', () => {
  it('shouldGiveTheSameOutput_whatever the chunking, and never list a dropped field in the header', () => {
    fc.assert(
      fc.property(
        csvArb.chain((csv) => {
          const bytes = encoder.encode(encode(csv));
          return fc.tuple(fc.constant(csv), fc.constant(bytes), specsArb, cutsArb(bytes.length));
        }),
        ([csv, bytes, specs, cuts]) => {
          const plan = planTransforms(specs, fields);
          const whole = transform(plan, bytes, []);
          expect(transform(plan, bytes, cuts)).toBe(whole);
          const dropped = new Set(specs.flatMap((s) => (s.kind === 'drop-fields' ? s.fields : [])));
          const header = whole.replace(/^\uFEFF/, '').split(/\r?\n/)[0]!;
          expect(header.split(csv.delimiter)).toEqual(NAMES.filter((n) => !dropped.has(n)));
          expect(whole.startsWith('\uFEFF')).toBe(csv.bom);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('shouldMatchAReferenceParser_when dropping, redacting and pseudonymising', () => {
    fc.assert(
      fc.property(csvArb, fieldSpecsArb, (csv, f) => {
        const plan = planTransforms(
          [
            { kind: 'drop-fields', fields: f.drop },
            { kind: 'redact-fields', fields: f.redact },
            { kind: 'pseudonymise-fields', fields: f.pseudonymise },
          ],
          fields,
        );
        const input = encode(csv);
        const output = transform(plan, encoder.encode(input), []);
        // Without a line break after the header, the output's style is unknown: LF.
        const outputEol = csv.rows.length > 0 || csv.finalEol ? csv.eol : '\n';
        // No skipEmptyLines: it would also skip a quoted empty value alone on its line. Neither side has blank lines.
        const parse = (text: string, eol: string): string[][] => {
          const rows = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { delimiter: csv.delimiter, newline: eol as '\n' }).data;
          if (text.endsWith(eol)) rows.pop();
          return rows;
        };
        const expected = parse(input, csv.eol).map((row, r) =>
          row.flatMap((v, k) => {
            const name = NAMES[k]!;
            if (f.drop.includes(name)) return [];
            if (r === 0) return [v];
            if (f.redact.includes(name) || v === '') return [f.pseudonymise.includes(name) || f.redact.includes(name) ? '' : v];
            return [f.pseudonymise.includes(name) ? createHmac('sha256', KEY).update(v).digest('hex').slice(0, 32) : v];
          }),
        );
        expect(parse(output, outputEol)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
