import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createCsvTransformer,
  createGroupCounter,
  planTransforms,
  type GeoJsonPolygonOrMulti,
  type TransformPlan,
  type TransformSpec,
} from '../../functions/domain/enforcement/index.ts';
import type { SchemaField } from '../../schemas/dataset.ts';

const KEY = new Uint8Array(32).fill(7);
const OTHER_KEY = new Uint8Array(32).fill(8);

const fields: SchemaField[] = [
  { name: 'id', type: 'string', personal: true },
  { name: 'name', type: 'string', personal: true },
  { name: 'lat', type: 'number' },
  { name: 'lon', type: 'number' },
  { name: 'where', type: 'geopoint' },
  { name: 'note', type: 'string' },
];
const HEADER = 'id,name,lat,lon,where,note';

const encoder = new TextEncoder();
// ignoreBOM keeps a BOM in the decoded text, so tests can see it.
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** Expected pseudonym, computed independently of the transformer's cache. */
function pseudonym(value: string, key = KEY): string {
  return createHmac('sha256', key).update(value).digest('hex').slice(0, 32);
}

function plan(specs: TransformSpec[], schema: SchemaField[] = fields): TransformPlan {
  return planTransforms(specs, schema);
}

/** Feeds `input` cut at `cuts` (chunk offsets) through both passes as needed; returns the output text and stats. */
function run(p: TransformPlan, input: string | Uint8Array, opts: { cuts?: number[]; key?: Uint8Array } = {}) {
  const bytes = typeof input === 'string' ? encoder.encode(input) : input;
  const pieces: Uint8Array[] = [];
  let at = 0;
  for (const cut of [...(opts.cuts ?? []), bytes.length]) {
    pieces.push(bytes.slice(at, cut));
    at = cut;
  }
  let groupCounts;
  if (p.needsTwoPasses) {
    const counter = createGroupCounter(p);
    for (const piece of pieces) counter.push(piece);
    groupCounts = counter.finish();
  }
  const t = createCsvTransformer(p, { hmacKey: opts.key ?? KEY, groupCounts });
  const out: Uint8Array[] = [];
  for (const piece of pieces) out.push(t.push(piece));
  out.push(t.finish());
  const total = new Uint8Array(out.reduce((n, o) => n + o.length, 0));
  let o = 0;
  for (const part of out) {
    total.set(part, o);
    o += part.length;
  }
  return { text: decoder.decode(total), bytes: total, stats: t.stats() };
}

const text = (p: TransformPlan, input: string, opts?: { cuts?: number[]; key?: Uint8Array }): string => run(p, input, opts).text;

const ROWS = `${HEADER}\nV1,Ann,45.123456,4.987654,"4.987654, 45.123456",hello\nV2,"Bob, Jr",48.5,2.25,"2.25, 48.5","say ""hi"""\n`;

describe('CSV transforms: each transform', () => {
  it.each<[string, TransformSpec, string]>([
    [
      'shouldDrop_when a field is in drop-fields',
      { kind: 'drop-fields', fields: ['name', 'where'] },
      `id,lat,lon,note\nV1,45.123456,4.987654,hello\nV2,48.5,2.25,"say ""hi"""\n`,
    ],
    [
      'shouldRedact_when a field is in redact-fields',
      { kind: 'redact-fields', fields: ['name', 'note'] },
      `${HEADER}\nV1,,45.123456,4.987654,"4.987654, 45.123456",\nV2,,48.5,2.25,"2.25, 48.5",\n`,
    ],
    [
      'shouldPseudonymise_when a field is in pseudonymise-fields',
      { kind: 'pseudonymise-fields', fields: ['id', 'name'] },
      `${HEADER}\n${pseudonym('V1')},${pseudonym('Ann')},45.123456,4.987654,"4.987654, 45.123456",hello\n${pseudonym('V2')},${pseudonym('Bob, Jr')},48.5,2.25,"2.25, 48.5","say ""hi"""\n`,
    ],
    [
      'shouldRoundLatLon_when generalising number fields',
      { kind: 'generalise-coordinates', position: { lat: 'lat', lon: 'lon' }, decimals: 2 },
      `${HEADER}\nV1,Ann,45.12,4.99,"4.987654, 45.123456",hello\nV2,"Bob, Jr",48.5,2.25,"2.25, 48.5","say ""hi"""\n`,
    ],
    [
      'shouldRoundTheGeopoint_when generalising a geopoint field',
      { kind: 'generalise-coordinates', position: { geopoint: 'where' }, decimals: 1 },
      `${HEADER}\nV1,Ann,45.123456,4.987654,"5.0, 45.1",hello\nV2,"Bob, Jr",48.5,2.25,"2.3, 48.5","say ""hi"""\n`,
    ],
  ])('%s', (_name, spec, expected) => {
    expect(text(plan([spec]), ROWS)).toBe(expected);
  });

  it('shouldApplyAllFieldTransforms_when combined, each column acted on once', () => {
    const p = plan([
      { kind: 'generalise-coordinates', position: { lat: 'lat', lon: 'lon' }, decimals: 0 },
      { kind: 'pseudonymise-fields', fields: ['id', 'name'] },
      { kind: 'redact-fields', fields: ['name'] },
      { kind: 'drop-fields', fields: ['where', 'id'] },
    ]);
    expect(text(p, ROWS)).toBe('name,lat,lon,note\n,45,5,hello\n,49,2,"say ""hi"""\n');
  });

  it.each([
    ['45.123456', 2, '45.12'],
    ['45.125', 2, '45.13'],
    ['-45.125', 2, '-45.13'],
    ['9.999', 2, '10.00'],
    ['-99.96', 1, '-100.0'],
    ['-0.001', 2, '0.00'],
    ['-0.4', 0, '0'],
    ['48', 2, '48'],
    ['48.5', 0, '49'],
    ['48.1', 3, '48.1'],
    ['1.5e1', 0, '15'],
    ['-2.5E-1', 1, '-0.3'],
    ['0.0000004', 6, '0.000000'],
    ['abc', 2, ''],
    ['4.5.6', 2, ''],
    ['.5', 2, ''],
    ['', 2, ''],
    ['"45.6789"', 1, '45.7'],
  ])('shouldRound_when a coordinate is %s with %i decimals', (value, decimals, expected) => {
    const schema: SchemaField[] = [{ name: 'lat', type: 'number' }, { name: 'lon', type: 'number' }];
    const p = plan([{ kind: 'generalise-coordinates', position: { lat: 'lat', lon: 'lon' }, decimals }], schema);
    expect(text(p, `lat,lon\n${value},1\n`)).toBe(`lat,lon\n${expected},1\n`);
  });

  it.each([
    ['"4.8357, 45.7640"', '"4.84, 45.76"'],
    ['"4.8357,45.7640"', '"4.84, 45.76"'],
    ['"-0.001, -0.004"', '"0.00, 0.00"'],
    ['"4.8357"', ''],
    ['"east, north"', ''],
    ['"4.8357, "', ''],
    ['', ''],
  ])('shouldGeneraliseOrEmpty_when a geopoint is %s', (value, expected) => {
    const p = plan([{ kind: 'generalise-coordinates', position: { geopoint: 'where' }, decimals: 2 }]);
    expect(text(p, `${HEADER}\nV1,A,1,2,${value},n\n`)).toBe(`${HEADER}\nV1,A,1,2,${expected},n\n`);
  });

  it('shouldKeepEmptyEmpty_when pseudonymising empty and quoted-empty cells', () => {
    const p = plan([{ kind: 'pseudonymise-fields', fields: ['id', 'note'] }]);
    expect(text(p, `${HEADER}\n,A,1,2,"1, 2",""\n`)).toBe(`${HEADER}\n,A,1,2,"1, 2",\n`);
  });
});

describe('CSV transforms: syntax', () => {
  const pseudoName = plan([{ kind: 'pseudonymise-fields', fields: ['name'] }, { kind: 'drop-fields', fields: ['where'] }]);

  it.each<[string, string, string]>([
    [
      'shouldKeepTheDelimiter_when the file uses ; with decimal commas',
      'id;name;lat;lon;where;note\nV1;"A;B";45,126;4,5;"4.5, 45.126";x,y\n',
      'id;lat;lon;note\nV1;45,13;4,5;x,y\n',
    ],
    [
      'shouldKeepCRLF_when the header ends with CRLF',
      `${HEADER}\r\nV1,A,45.126,4.5,"4.5, 45.126",n\r\nV2,B,1,2,"2, 1",m\r\n`,
      'id,lat,lon,note\r\nV1,45.13,4.5,n\r\nV2,1,2,m\r\n',
    ],
    [
      'shouldKeepTheBOM_when the input starts with one',
      `\uFEFF${HEADER}\nV1,A,45.126,4.5,"4.5, 45.126",n\n`,
      '\uFEFFid,lat,lon,note\nV1,45.13,4.5,n\n',
    ],
    [
      'shouldCopyEmbeddedNewlines_when an untouched quoted cell spans lines',
      `${HEADER}\nV1,A,1,2,"2, 1","line 1\nline 2\r\nline 3"\nV2,B,1,2,"2, 1",x\n`,
      'id,lat,lon,note\nV1,1,2,"line 1\nline 2\r\nline 3"\nV2,1,2,x\n',
    ],
    [
      'shouldEndTheLastRecord_when the input has no final line break',
      `${HEADER}\nV1,A,1.256,2,"2, 1",x`,
      'id,lat,lon,note\nV1,1.26,2,x\n',
    ],
    [
      'shouldEndTheLastRecord_when a quoted last cell has no final CRLF',
      `${HEADER}\r\nV1,A,1.256,2,"2, 1","x"`,
      'id,lat,lon,note\r\nV1,1.26,2,"x"\r\n',
    ],
    [
      'shouldSkipBlankLines_when the file has several columns',
      `${HEADER}\n\nV1,A,1,2,"2, 1",x\n\r\n\n`,
      'id,lat,lon,note\nV1,1,2,x\n',
    ],
    [
      'shouldPadAndTrim_when records have too few or too many cells',
      `${HEADER}\nV1,A,1\nV2,B,1,2,"2, 1",x,extra\n`,
      'id,lat,lon,note\nV1,1,,\nV2,1,2,x\n',
    ],
  ])('%s', (_name, input, expected) => {
    const p = plan([{ kind: 'drop-fields', fields: ['name', 'where'] }, { kind: 'generalise-coordinates', position: { lat: 'lat', lon: 'lon' }, decimals: 2 }]);
    expect(text(p, input)).toBe(expected);
  });

  it('shouldHashTheUnquotedValue_when a pseudonymised cell has quotes, delimiters and newlines', () => {
    const out = text(pseudoName, `${HEADER}\nV1,"say ""hi"",\nbye",1,2,"2, 1",x\n`);
    expect(out).toBe(`id,name,lat,lon,note\nV1,${pseudonym('say "hi",\nbye')},1,2,x\n`);
  });

  it('shouldQuoteOnlyWhenNeeded_when writing transformed cells', () => {
    const p = plan([{ kind: 'generalise-coordinates', position: { geopoint: 'where' }, decimals: 1 }, { kind: 'pseudonymise-fields', fields: ['id'] }]);
    const comma = text(p, `${HEADER}\n"V1",A,1,2,"2.34, 1.26",x\n`);
    expect(comma).toBe(`${HEADER}\n${pseudonym('V1')},A,1,2,"2.3, 1.3",x\n`);
    const semicolon = text(p, 'id;name;lat;lon;where;note\n"V1";A;1;2;"2.34, 1.26";x\n');
    expect(semicolon).toBe(`id;name;lat;lon;where;note\n${pseudonym('V1')};A;1;2;2.3, 1.3;x\n`);
  });

  it('shouldQuoteAnEmptyValue_when the output keeps a single column', () => {
    const p = plan([{ kind: 'drop-fields', fields: ['id', 'lat', 'lon', 'where', 'note'] }]);
    expect(text(p, `${HEADER}\nV1,,1,2,"2, 1",x\nV2,B,1,2,"2, 1",x\n`)).toBe('name\n""\nB\n');
  });

  it.each([
    ['empty input', '', ''],
    ['a header without rows', HEADER, 'id,lat,lon,note\n'],
    ['a header with CRLF and no rows', `${HEADER}\r\n`, 'id,lat,lon,note\r\n'],
  ])('shouldWriteOnlyWhatExists_when %s', (_name, input, expected) => {
    expect(text(plan([{ kind: 'drop-fields', fields: ['name', 'where'] }]), input)).toBe(expected);
  });

  it('shouldKeepEmptyValues_when a one-column file has blank lines between rows, not trailing ones', () => {
    const schema: SchemaField[] = [{ name: 'v', type: 'string' }];
    const p = plan([{ kind: 'pseudonymise-fields', fields: ['v'] }], schema);
    const r = run(p, 'v\na\n\nb\n\n\n');
    // An empty value alone on its line is written "" so that it cannot be mistaken for a blank line.
    expect(r.text).toBe(`v\n${pseudonym('a')}\n""\n${pseudonym('b')}\n`);
    expect(r.stats.rowsIn).toBe(3);
  });

  it('shouldProduceIdenticalOutput_when the input is split at every byte', () => {
    const input = `\uFEFF${HEADER}\r\nV1,"Zoë, ""Z""",45.1256,4.9871,"4.9871, 45.1256","multi\r\nline"\r\nV2,,-0.005,1e-3,"1, 2",\r\nV1,Ann,abc,2,"x",é\r\n\r\nV3,"a""b",1,2,"3, 4","end"`;
    const p = plan([
      { kind: 'pseudonymise-fields', fields: ['id', 'name'] },
      { kind: 'generalise-coordinates', position: { lat: 'lat', lon: 'lon' }, decimals: 2 },
      { kind: 'generalise-coordinates', position: { geopoint: 'where' }, decimals: 1 },
      { kind: 'drop-fields', fields: ['note'] },
    ]);
    const whole = run(p, input);
    const bytes = encoder.encode(input);
    expect(run(p, input, { cuts: Array.from({ length: bytes.length - 1 }, (_, i) => i + 1) }).text).toBe(whole.text);
    for (let cut = 0; cut <= bytes.length; cut++) expect(run(p, input, { cuts: [cut] }).text).toBe(whole.text);
    expect(whole.stats).toEqual({ rowsIn: 4, rowsOut: 4, rowsDropped: { zone: 0, kAnonymity: 0 } });
  });
});

describe('CSV transforms: pseudonyms', () => {
  const p = plan([{ kind: 'pseudonymise-fields', fields: ['id'] }]);
  const input = `${HEADER}\nV1,a,1,2,"2, 1",x\nV2,b,1,2,"2, 1",x\nV1,c,1,2,"2, 1",x\n`;
  const ids = (out: string): string[] => out.trim().split('\n').slice(1).map((l) => l.split(',')[0]!);

  it('shouldBeStable_when the same key pseudonymises twice', () => {
    const [a, b] = [ids(text(p, input)), ids(text(p, input))];
    expect(a).toEqual(b);
    expect(a[0]).toBe(a[2]);
    expect(a[0]).not.toBe(a[1]);
    expect(a[0]).toMatch(/^[0-9a-f]{32}$/);
  });

  it('shouldDiffer_when the licence key differs', () => {
    const [a, b] = [ids(text(p, input)), ids(text(p, input, { key: OTHER_KEY }))];
    expect(b[0]).toBe(pseudonym('V1', OTHER_KEY));
    for (let i = 0; i < a.length; i++) expect(a[i]).not.toBe(b[i]);
  });

  it('shouldStayCorrect_when many distinct values overflow nothing and repeat', () => {
    const rows = Array.from({ length: 5000 }, (_, i) => `V${i % 1300},a,1,2,"2, 1",x`).join('\n');
    const got = ids(text(p, `${HEADER}\n${rows}\n`));
    got.forEach((g, i) => expect(g).toBe(pseudonym(`V${i % 1300}`)));
  });

  it('shouldRejectAShortKey', () => {
    expect(() => createCsvTransformer(p, { hmacKey: new Uint8Array(8) })).toThrow(RangeError);
  });
});

const ring = (x: number, y: number, size = 1): number[][] => [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]];
const square = (x: number, y: number, size = 1): GeoJsonPolygonOrMulti => ({ type: 'Polygon', coordinates: [ring(x, y, size)] });

describe('CSV transforms: exclusion zones', () => {
  // Lon 2..3, lat 48..49.
  const zone = square(2, 48);
  const multi: GeoJsonPolygonOrMulti = { type: 'MultiPolygon', coordinates: [[ring(2, 48)], [ring(10, 40)]] };
  const rows = (positions: Array<[string, string]>): string =>
    `${HEADER}\n${positions.map(([lon, lat], i) => `R${i},n,${lat},${lon},"${lon}, ${lat}",x`).join('\n')}\n`;
  const kept = (out: string): string[] => out.trim().split('\n').slice(1).map((l) => l.split(',')[0]!);

  it.each<[string, GeoJsonPolygonOrMulti, 'latlon' | 'geopoint', Array<[string, string]>, string[]]>([
    ['a square, lat/lon fields', zone, 'latlon', [['2.5', '48.5'], ['3.5', '48.5'], ['2.5', '47.9'], ['1.99', '48.01']], ['R1', 'R2', 'R3']],
    ['a square, a geopoint field', zone, 'geopoint', [['2.5', '48.5'], ['3.5', '48.5'], ['2.999', '48.999']], ['R1']],
    ['a MultiPolygon, lat/lon fields', multi, 'latlon', [['2.5', '48.5'], ['10.5', '40.5'], ['6', '44'], ['10.5', '48.5']], ['R2', 'R3']],
    ['a MultiPolygon, a geopoint field', multi, 'geopoint', [['10.1', '40.9'], ['9.9', '40.5'], ['2.1', '48.1']], ['R1']],
    ['a point on the boundary (fails closed)', zone, 'latlon', [['2', '48.5'], ['3.0001', '48.5']], ['R1']],
  ])('shouldDropRowsInside_when the zone is %s', (_name, polygon, kind, positions, expected) => {
    const position = kind === 'latlon' ? { lat: 'lat', lon: 'lon' } : { geopoint: 'where' };
    const r = run(plan([{ kind: 'exclusion-zones', position, polygons: [polygon] }]), rows(positions));
    expect(kept(r.text)).toEqual(expected);
    expect(r.stats).toEqual({ rowsIn: positions.length, rowsOut: expected.length, rowsDropped: { zone: positions.length - expected.length, kAnonymity: 0 } });
  });

  it('shouldKeepRows_when they lie in a hole of the polygon', () => {
    const withHole: GeoJsonPolygonOrMulti = { type: 'Polygon', coordinates: [ring(0, 0, 10), ring(4, 4, 2)] };
    const out = text(plan([{ kind: 'exclusion-zones', position: { lat: 'lat', lon: 'lon' }, polygons: [withHole] }]), rows([['5', '5'], ['1', '1'], ['11', '1']]));
    expect(kept(out)).toEqual(['R0', 'R2']);
  });

  it.each<[string, string]>([
    ['an empty lat', 'R0,n,,2.5,"2.5, 48.5",x'],
    ['a word for lon', 'R0,n,48.5,east,"2.5, 48.5",x'],
    ['an out-of-range lat', 'R0,n,148.5,2.5,"2.5, 48.5",x'],
  ])('shouldDropTheRow_when its position is unreadable: %s', (_name, row) => {
    const r = run(plan([{ kind: 'exclusion-zones', position: { lat: 'lat', lon: 'lon' }, polygons: [square(50, 50)] }]), `${HEADER}\n${row}\nR1,n,1,1,"1, 1",x\n`);
    expect(kept(r.text)).toEqual(['R1']);
    expect(r.stats.rowsDropped.zone).toBe(1);
  });

  it('shouldDropTheRow_when a geopoint is unreadable', () => {
    const p = plan([{ kind: 'exclusion-zones', position: { geopoint: 'where' }, polygons: [square(50, 50)] }]);
    expect(kept(text(p, `${HEADER}\nR0,n,1,1,"nowhere",x\nR1,n,1,1,"1, 1",x\nR2,n,1,1,,x\n`))).toEqual(['R1']);
  });

  it('shouldCheckOriginalValues_when the coordinates are also generalised and dropped', () => {
    const p = plan([
      { kind: 'generalise-coordinates', position: { lat: 'lat', lon: 'lon' }, decimals: 0 },
      { kind: 'drop-fields', fields: ['where'] },
      { kind: 'exclusion-zones', position: { geopoint: 'where' }, polygons: [square(2, 48)] },
    ]);
    // 2.4 rounds to 2 and 47.6 to 48 (on the zone's corner), but the original point is outside it.
    expect(text(p, `${HEADER}\nR0,n,47.6,2.4,"2.4, 47.6",x\nR1,n,48.5,2.5,"2.5, 48.5",x\n`)).toBe('id,name,lat,lon,note\nR0,n,48,2,x\n');
  });

  it('shouldUseTheDecimalComma_when the file uses ;', () => {
    const p = plan([{ kind: 'exclusion-zones', position: { lat: 'lat', lon: 'lon' }, polygons: [square(2, 48)] }]);
    expect(text(p, 'id;name;lat;lon;where;note\nR0;n;48,5;2,5;"2.5, 48.5";x\nR1;n;48,5;3,5;"3.5, 48.5";x\n')).toBe(
      'id;name;lat;lon;where;note\nR1;n;48,5;3,5;"3.5, 48.5";x\n',
    );
  });
});

describe('CSV transforms: k-anonymity', () => {
  const schema: SchemaField[] = [
    { name: 'zone', type: 'string' },
    { name: 'age', type: 'string' },
    { name: 'v', type: 'integer' },
    { name: 'lat', type: 'number' },
    { name: 'lon', type: 'number' },
  ];
  const input = [
    'zone,age,v,lat,lon',
    'A,30,1,0,0',
    'A,30,2,0,0',
    'A,40,3,0,0',
    'B,30,4,0,0',
    'B,30,5,0,0',
    'B,30,6,0,0',
    '"A",30,7,0,0',
    'C,30,8,5,5',
    'C,30,9,0,0',
    'C,30,10,0,0',
  ].join('\n');
  const values = (out: string): string[] => out.trim().split('\n').slice(1).map((l) => l.split(',')[2]!);

  it.each<[number, string[], string[]]>([
    [2, ['zone'], ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']],
    [2, ['zone', 'age'], ['1', '2', '4', '5', '6', '7', '8', '9', '10']],
    [3, ['zone', 'age'], ['1', '2', '4', '5', '6', '7', '8', '9', '10']],
    [4, ['zone', 'age'], []],
    [4, ['age'], ['1', '2', '4', '5', '6', '7', '8', '9', '10']],
  ])('shouldSuppressSmallGroups_when k=%i over %j', (k, quasiIdentifiers, expected) => {
    const r = run(plan([{ kind: 'k-anonymity', k, quasiIdentifiers }], schema), input);
    expect(values(r.text)).toEqual(expected);
    expect(r.stats.rowsDropped.kAnonymity).toBe(10 - expected.length);
  });

  it('shouldCountOnlyRowsOutsideZones_when exclusion zones run first', () => {
    // Row 8 is in the zone, so group C keeps 2 rows: below k=3.
    const p = plan(
      [
        { kind: 'k-anonymity', k: 3, quasiIdentifiers: ['zone'] },
        { kind: 'exclusion-zones', position: { lat: 'lat', lon: 'lon' }, polygons: [square(4, 4, 2)] },
      ],
      schema,
    );
    const r = run(p, input);
    expect(values(r.text)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(r.stats).toEqual({ rowsIn: 10, rowsOut: 7, rowsDropped: { zone: 1, kAnonymity: 2 } });
  });

  it('shouldSeeOriginalValues_when the quasi-identifier is also pseudonymised', () => {
    const p = plan([{ kind: 'k-anonymity', k: 3, quasiIdentifiers: ['zone'] }, { kind: 'pseudonymise-fields', fields: ['zone'] }], schema);
    const out = text(p, input);
    expect(out.split('\n')[1]).toBe(`${pseudonym('A')},30,1,0,0`);
    expect(values(out)).toHaveLength(10);
  });

  it('shouldRefuse_when the group counts are missing or belong to another plan', () => {
    const p = plan([{ kind: 'k-anonymity', k: 2, quasiIdentifiers: ['zone'] }], schema);
    expect(() => createCsvTransformer(p, { hmacKey: KEY })).toThrow(/group counts/);
    const other = plan([{ kind: 'k-anonymity', k: 3, quasiIdentifiers: ['zone'] }], schema);
    const counter = createGroupCounter(other);
    counter.push(encoder.encode(input));
    expect(() => createCsvTransformer(p, { hmacKey: KEY, groupCounts: counter.finish() })).toThrow(/another plan/);
  });

  it('shouldReportGroupSizes_when counting', () => {
    const counter = createGroupCounter(plan([{ kind: 'k-anonymity', k: 2, quasiIdentifiers: ['zone'] }], schema));
    counter.push(encoder.encode(input));
    const counts = counter.finish();
    expect(counts.rows).toBe(10);
    expect([...counts.groups.values()].sort()).toEqual([3, 3, 4]);
  });
});
