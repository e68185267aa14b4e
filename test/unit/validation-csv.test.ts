import { describe, expect, it } from 'vitest';
import { createValidator } from '../../functions/domain/ingest/validation/index.ts';
import type { QualityReport, SchemaField } from '../../schemas/dataset.ts';

const fields: SchemaField[] = [
  { name: 'id', type: 'integer', required: true },
  { name: 'name', type: 'string' },
  { name: 'amount', type: 'number' },
  { name: 'day', type: 'date' },
  { name: 'ok', type: 'boolean' },
  { name: 'where', type: 'geopoint' },
];
const HEADER = 'id,name,amount,day,ok,where\n';

type Input = string | Uint8Array;

function bytes(input: Input): Uint8Array {
  return typeof input === 'string' ? new TextEncoder().encode(input) : input;
}

/** Validates `input` as CSV, fed in chunks cut at `cuts` (offsets). */
function csv(input: Input, opts: { cuts?: number[]; schema?: SchemaField[]; maxErrors?: number; maxRecordBytes?: number } = {}): QualityReport {
  const all = bytes(input);
  const v = createValidator('csv', opts.schema ?? fields, { maxErrors: opts.maxErrors, maxRecordBytes: opts.maxRecordBytes });
  let at = 0;
  for (const cut of [...(opts.cuts ?? []), all.length]) {
    v.push(all.slice(at, cut));
    at = cut;
  }
  return v.finish();
}

/** One-column schema of `type`, to check a single cell. */
function cell(type: SchemaField['type'], value: string, required = false): QualityReport {
  return csv(`v\n${value}\n`, { schema: [{ name: 'v', type, required }] });
}

describe('CSV validation: typed cells', () => {
  it.each([
    ['integer', '-12'],
    ['integer', '+7'],
    ['number', '3.14'],
    ['number', '-1e-3'],
    ['boolean', 'Oui'],
    ['boolean', '0'],
    ['date', '2024-02-29'],
    ['datetime', '2024-02-29T23:59:59.5+01:00'],
    ['datetime', '2024-02-29T23:59:59Z'],
    ['geopoint', '"2.35, 48.85"'],
    ['geopoint', '"-180,90"'],
    ['string', 'n\'importe quoi'],
  ] as const)('shouldAccept_when a %s cell holds %s', (type, value) => {
    const r = cell(type, value);
    expect(r.errors).toEqual([]);
    expect(r.rows).toBe(1);
  });

  it.each([
    ['integer', '1.5', 'not an integer'],
    ['integer', '12a', 'not an integer'],
    ['number', '3,14', 'expected 1 cells, found 2'],
    ['number', '"3,14"', 'not a number'],
    ['number', 'abc', 'not a number'],
    ['boolean', 'vrai', 'not a boolean'],
    ['date', '2023-02-29', 'not a date (YYYY-MM-DD)'],
    ['date', '01/02/2024', 'not a date (YYYY-MM-DD)'],
    ['datetime', '2024-02-29 10:00:00', 'not a datetime (ISO 8601)'],
    ['datetime', '2024-02-29T25:00:00', 'not a datetime (ISO 8601)'],
    ['geopoint', '"200, 10"', 'not a geopoint (lon, lat)'],
    ['geopoint', '"10, -95"', 'not a geopoint (lon, lat)'],
    ['geopoint', '48.85', 'not a geopoint (lon, lat)'],
  ] as const)('shouldReject_when a %s cell holds %s', (type, value, reason) => {
    const r = cell(type, value);
    expect(r.errors).toEqual([reason.startsWith('expected') ? { row: 1, reason } : { row: 1, field: 'v', reason }]);
  });

  it('shouldReject_when a required cell is empty, and count empty cells per field', () => {
    const r = csv(`${HEADER}1,,,,,\n,x,"",2024-01-01,,\n3,y,1,,true,"1, 2"\n`);
    expect(r.errors).toEqual([{ row: 2, field: 'id', reason: 'required' }]);
    expect(r.emptyCounts).toEqual({ id: 1, name: 1, amount: 2, day: 2, ok: 2, where: 2 });
    expect(r.rows).toBe(3);
  });

  it.each([
    ['a quoted empty cell', '""'],
    ['a blank line followed by a record (one-column file)', '\nx'],
  ])('shouldReject_when a required cell is %s', (_name, value) => {
    expect(cell('string', value, true).errors).toEqual([{ row: 1, field: 'v', reason: 'required' }]);
  });
});

describe('CSV validation: syntax', () => {
  it.each([
    ['a delimiter inside quotes', `${HEADER}1,"a, b",1,2024-01-01,yes,"1, 2"\n`],
    ['escaped quotes', `${HEADER}1,"say ""hi""",1,2024-01-01,yes,"1, 2"\n`],
    ['a line break inside quotes', `${HEADER}1,"line 1\nline 2\r\nline 3",1,2024-01-01,yes,"1, 2"\n`],
    ['CRLF line endings', HEADER.replace('\n', '\r\n') + '1,a,1,2024-01-01,yes,"1, 2"\r\n2,b,2,2024-01-02,no,"3, 4"\r\n'],
    ['no newline after the last record', `${HEADER}1,a,1,2024-01-01,yes,"1, 2"\n2,b,2,2024-01-02,no,"3, 4"`],
    ['no CRLF after a quoted last cell', `${HEADER}1,a,1,2024-01-01,yes,"1, 2"\r\n2,b,2,2024-01-02,no,"3, 4"`],
    ['blank lines at the end', `${HEADER}1,a,1,2024-01-01,yes,"1, 2"\n2,b,2,2024-01-02,no,"3, 4"\n\n\r\n\n`],
    ['a UTF-8 BOM', `\uFEFF${HEADER}1,a,1,2024-01-01,yes,"1, 2"\n2,b,2,2024-01-02,no,"3, 4"\n`],
    ['columns in another order', 'where,ok,day,amount,name,id\n"1, 2",yes,2024-01-01,1,a,1\n"3, 4",no,2024-01-02,2,b,2\n'],
  ])('shouldAccept_when %s', (_name, input) => {
    const r = csv(input);
    expect(r.errors).toEqual([]);
    expect(r.rows).toBe(input.includes('2,b') ? 2 : 1);
  });

  it('shouldAccept_when the delimiter is ; with decimal commas', () => {
    const r = csv('id;name;amount;day;ok;where\n1;a, b;3,14;2024-01-01;non;"2.35, 48.85"\n2;"x;y";-0,5;2024-01-02;1;2.35,48.85\n');
    expect(r.errors).toEqual([]);
    expect(r.rows).toBe(2);
  });

  it('shouldReject_when a decimal comma is used with the , delimiter', () => {
    expect(csv(`${HEADER}1,a,"3,14",2024-01-01,yes,"1, 2"\n`).errors).toEqual([{ row: 1, field: 'amount', reason: 'not a number' }]);
  });

  it('shouldPickTheDelimiter_when both appear, counting only outside quotes', () => {
    const r = csv('"a;b;c";v\n"x,y";1\n', { schema: [{ name: 'a;b;c', type: 'string' }, { name: 'v', type: 'integer' }] });
    expect(r.errors).toEqual([]);
  });

  it('shouldReject_when a record has the wrong number of cells', () => {
    const r = csv(`${HEADER}1,a,1,2024-01-01,yes\n2,b,2,2024-01-02,no,"3, 4",extra\n3,c,3,2024-01-03,yes,"5, 6"\n`);
    expect(r.errors).toEqual([
      { row: 1, reason: 'expected 6 cells, found 5' },
      { row: 2, reason: 'expected 6 cells, found 7' },
    ]);
    expect(r.rows).toBe(3);
  });

  it('shouldReject_when a blank line sits between records', () => {
    const r = csv(`${HEADER}1,a,1,2024-01-01,yes,"1, 2"\n\n2,b,2,2024-01-02,no,"3, 4"\n`);
    expect(r.errors).toEqual([{ row: 2, reason: 'expected 6 cells, found 1' }]);
    expect(r.rows).toBe(3);
  });

  it.each([
    ['a quote inside an unquoted cell', 'v\nab"c\n', { row: 1, field: 'v', reason: 'quote inside an unquoted cell' }],
    ['text after a closing quote', 'v\n"ab"c\n', { row: 1, field: 'v', reason: 'unexpected character after a closing quote' }],
    ['a quoted cell never closed', 'v\nok\n"abc\n', { row: 2, field: 'v', reason: 'unterminated quoted cell' }],
  ])('shouldReject_when %s', (_name, input, issue) => {
    expect(csv(input, { schema: [{ name: 'v', type: 'string' }] }).errors).toEqual([issue]);
  });

  it.each([
    ['an empty file', ''],
    ['a file with only a BOM', '\uFEFF'],
  ])('shouldReject_when %s', (_name, input) => {
    const r = csv(input);
    expect(r.errors).toEqual([{ row: 0, reason: 'missing header row' }]);
    expect(r.rows).toBe(0);
  });

  it('shouldAccept_when the file is a header only', () => {
    expect(csv('id,name,amount,day,ok,where')).toMatchObject({ rows: 0, errorCount: 0 });
  });
});

describe('CSV validation: header', () => {
  it('shouldReject_when schema columns are missing from the header, but keep counting rows', () => {
    const r = csv('id,name,amount,day\n1,a,1,2024-01-01\n2,b,x,2024-01-02\n');
    expect(r.errors).toEqual([
      { row: 0, field: 'ok', reason: 'column missing from header' },
      { row: 0, field: 'where', reason: 'column missing from header' },
      { row: 2, field: 'amount', reason: 'not a number' },
    ]);
    expect(r.rows).toBe(2);
  });

  it('shouldReject_when the header has columns outside the schema, or twice', () => {
    const r = csv('id,name,amount,day,ok,where,extra,id\n1,a,1,2024-01-01,yes,"1, 2",zz,1\n');
    expect(r.errors).toEqual([
      { row: 0, field: 'extra', reason: 'column not in schema' },
      { row: 0, field: 'id', reason: 'duplicate column in header' },
    ]);
    expect(r.rows).toBe(1);
  });

  it('shouldUnescapeQuotedHeaderNames_when matching the schema', () => {
    const r = csv('"say ""hi""","a,b"\nx,y\n', { schema: [{ name: 'say "hi"', type: 'string' }, { name: 'a,b', type: 'string' }] });
    expect(r.errors).toEqual([]);
  });
});

describe('CSV validation: UTF-8', () => {
  const valid = `${HEADER}1,Zoé € 😀,1,2024-01-01,yes,"1, 2"\n`;

  it('shouldAccept_when a multi-byte character is split across two chunks', () => {
    const all = bytes(valid);
    const emoji = valid.indexOf('😀') + 1;
    const at = Buffer.from(valid.slice(0, emoji)).length - 2;
    const r = csv(all, { cuts: [at] });
    expect(r.errors).toEqual([]);
    expect(r.rows).toBe(1);
  });

  it.each([
    ['in a data record', Buffer.concat([Buffer.from(`${HEADER}1,a,1,2024-01-01,yes,"1, 2"\n2,b`), Buffer.from([0xff]), Buffer.from(',2,2024-01-01,no,"1, 2"\n')]), 2],
    ['in the header', Buffer.concat([Buffer.from('id,name'), Buffer.from([0xc3, 0x28]), Buffer.from(',amount,day,ok,where\n')]), 0],
    ['as a character cut off at the end of the file', Buffer.concat([Buffer.from(`${HEADER}1,a,1,2024-01-01,yes,"1, 2"\n2,b,2,2024-01-01,no,x`), Buffer.from([0xe2, 0x82])]), 2],
    ['as an overlong encoding split across chunks', Buffer.concat([Buffer.from(`${HEADER}1,a`), Buffer.from([0xe0, 0x80, 0x80]), Buffer.from(',1,2024-01-01,yes,"1, 2"\n')]), 1],
  ])('shouldReject_when invalid UTF-8 appears %s', (_name, input, row) => {
    const whole = csv(input);
    expect(whole.errors.filter((e) => e.reason === 'invalid UTF-8')).toEqual([{ row, reason: 'invalid UTF-8' }]);
    for (let cut = 1; cut < input.length; cut++) expect(csv(input, { cuts: [cut] })).toEqual(whole);
  });
});

describe('CSV validation: streaming', () => {
  const sample =
    '\uFEFFid;name;amount;day;ok;where\r\n' +
    '1;"Zoé; ""la"" grande";3,5;2024-02-29;oui;"2.35, 48.85"\r\n' +
    '2;"multi\nline";x;2023-02-29;maybe;"200, 1"\r\n' +
    ';plain;;2024-01-01;0;\r\n' +
    '\r\n' +
    '4;a;1e3;2024-12-31;TRUE\r\n' +
    '5;"é€😀";2;2024-01-01;no;"0, 0"\r\n' +
    '6;bad"quote;1;2024-01-01;no;"0, 0"x\r\n' +
    '\r\n\n';

  it('shouldReportTheSameIssues_when the sample is read in one chunk', () => {
    const r = csv(sample);
    expect(r).toEqual({
      rows: 7,
      errorCount: 9,
      errors: [
        { row: 2, field: 'amount', reason: 'not a number' },
        { row: 2, field: 'day', reason: 'not a date (YYYY-MM-DD)' },
        { row: 2, field: 'ok', reason: 'not a boolean' },
        { row: 2, field: 'where', reason: 'not a geopoint (lon, lat)' },
        { row: 3, field: 'id', reason: 'required' },
        { row: 4, reason: 'expected 6 cells, found 1' },
        { row: 5, reason: 'expected 6 cells, found 5' },
        { row: 7, field: 'name', reason: 'quote inside an unquoted cell' },
        { row: 7, field: 'where', reason: 'not a geopoint (lon, lat)' },
      ],
      truncated: false,
      emptyCounts: { id: 1, name: 0, amount: 1, day: 0, ok: 0, where: 1 },
    });
  });

  it('shouldReportTheSameIssues_when the sample is split at every possible byte boundary', () => {
    const whole = csv(sample);
    const n = bytes(sample).length;
    for (let cut = 0; cut <= n; cut++) expect(csv(sample, { cuts: [cut] }), `cut at ${cut}`).toEqual(whole);
  });

  it.each([1, 2, 3, 7])('shouldReportTheSameIssues_when the sample is fed in chunks of %i bytes', (size) => {
    const n = bytes(sample).length;
    const cuts = Array.from({ length: Math.ceil(n / size) }, (_, k) => k * size);
    expect(csv(sample, { cuts })).toEqual(csv(sample));
  });

  it('shouldReject_when a record exceeds maxRecordBytes, then go on with the next', () => {
    const long = 'x'.repeat(200);
    const input = `${HEADER}1,"${long}",1,2024-01-01,yes,"1, 2"\n2,b,zz,2024-01-01,yes,"1, 2"\n`;
    const expected = [
      { row: 1, reason: 'record exceeds 100 bytes' },
      { row: 2, field: 'amount', reason: 'not a number' },
    ];
    expect(csv(input, { maxRecordBytes: 100 }).errors).toEqual(expected);
    expect(csv(input, { maxRecordBytes: 100, cuts: [40, 80, 120, 160, 200] }).errors).toEqual(expected);
  });

  it('shouldReject_when the header exceeds maxRecordBytes', () => {
    const r = csv(`${'a'.repeat(300)}\n1\n`, { maxRecordBytes: 100, cuts: [50, 150] });
    expect(r.errors).toEqual([{ row: 0, reason: 'header row exceeds 100 bytes' }]);
  });
});

describe('CSV validation: error cap', () => {
  it.each([
    [0, 0],
    [3, 3],
    [100, 10],
  ])('shouldCapStoredErrors_when maxErrors is %i', (maxErrors, stored) => {
    const rows = Array.from({ length: 10 }, (_, k) => `${k},a,NaN,2024-01-01,yes,"1, 2"\n`).join('');
    const r = csv(HEADER + rows, { maxErrors });
    expect(r.errorCount).toBe(10);
    expect(r.errors).toHaveLength(stored);
    expect(r.truncated).toBe(stored < 10);
    expect(r.errors[0]).toEqual(stored > 0 ? { row: 1, field: 'amount', reason: 'not a number' } : undefined);
  });
});

describe('file format', () => {
  it('shouldAccept_when any bytes are given, without parsing', () => {
    const v = createValidator('file', []);
    v.push(Uint8Array.from([0xff, 0x00, 0x22]));
    expect(v.finish()).toEqual({ rows: 0, errorCount: 0, errors: [], truncated: false, emptyCounts: {} });
  });
});
