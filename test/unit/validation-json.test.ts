import { describe, expect, it } from 'vitest';
import { createValidator } from '../../functions/domain/ingest/validation/index.ts';
import type { QualityReport, SchemaField } from '../../schemas/dataset.ts';

const fields: SchemaField[] = [
  { name: 'id', type: 'integer', required: true },
  { name: 'name', type: 'string' },
  { name: 'amount', type: 'number' },
  { name: 'day', type: 'date' },
  { name: 'at', type: 'datetime' },
  { name: 'ok', type: 'boolean' },
  { name: 'where', type: 'geopoint' },
];

type Input = string | Uint8Array;

function bytes(input: Input): Uint8Array {
  return typeof input === 'string' ? new TextEncoder().encode(input) : input;
}

/** Validates `input` as JSON, fed in chunks cut at `cuts` (offsets). */
function json(input: Input, opts: { cuts?: number[]; maxErrors?: number; maxRecordBytes?: number } = {}): QualityReport {
  const all = bytes(input);
  const v = createValidator('json', fields, { maxErrors: opts.maxErrors, maxRecordBytes: opts.maxRecordBytes });
  let at = 0;
  for (const cut of [...(opts.cuts ?? []), all.length]) {
    v.push(all.slice(at, cut));
    at = cut;
  }
  return v.finish();
}

const asArray = (records: unknown[]): string => JSON.stringify(records, null, 2);
const asLines = (records: unknown[]): string => records.map((r) => JSON.stringify(r)).join('\n') + '\n';

const good = { id: 1, name: 'Zoé', amount: 3.5, day: '2024-02-29', at: '2024-02-29T10:00:00Z', ok: true, where: [2.35, 48.85] };

describe('JSON validation: array and NDJSON', () => {
  it.each([
    ['an array', asArray],
    ['NDJSON', asLines],
  ])('shouldAccept_when valid records come as %s', (_name, encode) => {
    const r = json(encode([good, { ...good, id: 2, where: '2.35, 48.85' }, { ...good, id: 3, where: { lon: 2.35, lat: 48.85 } }]));
    expect(r).toEqual({
      rows: 3,
      errorCount: 0,
      errors: [],
      truncated: false,
      emptyCounts: { id: 0, name: 0, amount: 0, day: 0, at: 0, ok: 0, where: 0 },
    });
  });

  it.each([
    ['an empty array', '[]', 0],
    ['an empty array with whitespace', ' \n[ \n ]\n', 0],
    ['NDJSON with blank lines and CRLF', '{"id":1}\r\n\r\n\n{"id":2}\r\n\n', 2],
    ['NDJSON without a final newline', '{"id":1}\n{"id":2}', 2],
    ['a UTF-8 BOM', '\uFEFF[{"id":1}]', 1],
    ['strings holding brackets, braces and escaped quotes', '[{"id":1,"name":"}]{[\\"\\\\"},{"id":2,"name":"\\u0022]"}]', 2],
  ])('shouldAccept_when %s', (_name, input, rows) => {
    const r = json(input);
    expect(r.errors).toEqual([]);
    expect(r.rows).toBe(rows);
  });

  it.each([
    ['an array', asArray],
    ['NDJSON', asLines],
  ])('shouldReportTheSameIssues_when the same records come as %s', (_name, encode) => {
    const r = json(encode([{ id: '1', extra: true }, { id: 2, day: '2023-02-29' }, [1, 2], 'x']));
    expect(r).toEqual({
      rows: 4,
      errorCount: 5,
      errors: [
        { row: 1, field: 'id', reason: 'not an integer' },
        { row: 1, field: 'extra', reason: 'property not in schema' },
        { row: 2, field: 'day', reason: 'not a date (YYYY-MM-DD)' },
        { row: 3, reason: 'record is not an object' },
        { row: 4, reason: 'record is not an object' },
      ],
      truncated: false,
      emptyCounts: { id: 0, name: 2, amount: 2, day: 1, at: 2, ok: 2, where: 2 },
    });
  });
});

describe('JSON validation: typed values', () => {
  it.each([
    ['id', 1.5, 'not an integer'],
    ['id', '7', 'not an integer'],
    ['amount', '3.14', 'not a number'],
    ['amount', false, 'not a number'],
    ['ok', 'true', 'not a boolean'],
    ['ok', 1, 'not a boolean'],
    ['day', '2024-02-30', 'not a date (YYYY-MM-DD)'],
    ['day', 20240229, 'not a date (YYYY-MM-DD)'],
    ['at', '2024-02-29T10:00', 'not a datetime (ISO 8601)'],
    ['where', [181, 0], 'not a geopoint (lon, lat)'],
    ['where', { lon: 0 }, 'not a geopoint (lon, lat)'],
    ['where', '0, 95', 'not a geopoint (lon, lat)'],
  ])('shouldReject_when %s is %j', (field, value, reason) => {
    const r = json(asArray([{ ...good, [field]: value }]));
    expect(r.errors).toEqual([{ row: 1, field, reason }]);
  });

  it.each([
    ['null', { ...good, id: null }],
    ['absent', { name: 'x' }],
  ])('shouldReject_when a required property is %s, and count it empty', (_name, record) => {
    const r = json(asLines([record]));
    expect(r.errors).toEqual([{ row: 1, field: 'id', reason: 'required' }]);
    expect(r.emptyCounts.id).toBe(1);
  });

  it('shouldCountEmpties_when optional properties are null or absent', () => {
    const r = json(asLines([{ id: 1, name: null }, { id: 2, amount: null, name: '' }]));
    expect(r.errors).toEqual([]);
    expect(r.emptyCounts).toEqual({ id: 0, name: 1, amount: 2, day: 2, at: 2, ok: 2, where: 2 });
  });

  it('shouldAcceptAnyValue_when the field is a string', () => {
    expect(json('[{"id":1,"name":42}]').errors).toEqual([]);
  });
});

describe('JSON validation: malformed input', () => {
  it.each([
    ['an array record with a syntax error', '[{"id":1},{"id":2,},{"id":3}]', 2, 1],
    ['a trailing comma in the array', '[{"id":1},{"id":2},]', 3, 2],
    ['a missing comma between records', '[{"id":1} {"id":2}]', 2, 1],
    ['an unterminated array', '[{"id":1},{"id":2}', 3, 2],
    ['an unterminated record', '[{"id":1},{"id":2', 2, 1],
    ['an unterminated string', '[{"id":1,"name":"abc}]', 1, 0],
    ['a bare word as a record', '[{"id":1}, nope]', 2, 1],
    ['an NDJSON line with a syntax error', '{"id":1}\n{"id":2\n{"id":3}\n', 2, 1],
    ['two NDJSON records on one line', '{"id":1} {"id":2}\n', 1, 1],
    ['NDJSON truncated at the end', '{"id":1}\n{"id":', 2, 1],
  ])('shouldReject_when %s (row %i), and stop', (_name, input, row, rows) => {
    const r = json(input);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]?.row).toBe(row);
    expect(r.errors[0]?.reason).toMatch(/JSON|record per line/);
    expect(r.rows).toBe(rows);
  });

  it.each([
    ['an empty file', '', 'empty file'],
    ['whitespace only', ' \n\t', 'empty file'],
    ['a top-level string', '"abc"', 'expected a JSON array or NDJSON objects'],
    ['content after the array', '[{"id":1}] []', 'unexpected content after the JSON array'],
  ])('shouldReject_when the file is %s', (_name, input, reason) => {
    expect(json(input).errors).toEqual([{ row: 0, reason }]);
  });

  it('shouldReject_when a record is not valid UTF-8, and go on', () => {
    const input = Buffer.concat([Buffer.from('[{"id":1,"name":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"},{"id":"x"}]')]);
    expect(json(input).errors).toEqual([
      { row: 1, reason: 'invalid UTF-8' },
      { row: 2, field: 'id', reason: 'not an integer' },
    ]);
  });

  it('shouldReject_when a record exceeds maxRecordBytes, then go on with the next', () => {
    const input = asArray([{ id: 1, name: 'x'.repeat(300) }, { id: 'y' }]);
    const expected = [
      { row: 1, reason: 'record exceeds 100 bytes' },
      { row: 2, field: 'id', reason: 'not an integer' },
    ];
    expect(json(input, { maxRecordBytes: 100 }).errors).toEqual(expected);
    expect(json(input, { maxRecordBytes: 100, cuts: [30, 60, 90, 120, 150, 180, 210, 240, 270, 300] }).errors).toEqual(expected);
  });
});

describe('JSON validation: streaming', () => {
  const records = [
    good,
    { id: '2', name: 'a "quoted" } ] name', where: [200, 0] },
    { id: 3, name: 'é€😀', day: null, extra: 1 },
    7,
    { id: 5, ok: 'yes', nested: { a: [1, { b: '}' }] } },
  ];

  it.each([
    ['an array', asArray(records)],
    ['NDJSON', asLines(records)],
    ['an array with a syntax error', asArray(records).replace('"extra": 1', '"extra": 1,')],
  ])('shouldReportTheSameIssues_when %s is split at every possible byte boundary', (_name, input) => {
    const whole = json(input);
    expect(whole.errorCount).toBeGreaterThan(0);
    const n = bytes(input).length;
    for (let cut = 0; cut <= n; cut++) expect(json(input, { cuts: [cut] }), `cut at ${cut}`).toEqual(whole);
    expect(json(input, { cuts: Array.from({ length: n }, (_, k) => k) })).toEqual(whole);
  });

  it('shouldCapStoredErrors_when there are more than maxErrors', () => {
    const r = json(asLines(Array.from({ length: 8 }, (_, k) => ({ id: k, amount: 'x' }))), { maxErrors: 5 });
    expect(r.errorCount).toBe(8);
    expect(r.errors).toHaveLength(5);
    expect(r.errors[4]).toEqual({ row: 5, field: 'amount', reason: 'not a number' });
    expect(r.truncated).toBe(true);
  });
});
