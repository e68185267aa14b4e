import { describe, expect, it } from 'vitest';
import { T_BOOLEAN, T_DATE, T_DATETIME, T_GEOPOINT, T_INTEGER, T_NUMBER, T_STRING } from '../../functions/domain/ingest/validation/fields.ts';
import { checkJsonValue } from '../../functions/domain/ingest/validation/json-values.ts';
import { Utf8Checker } from '../../functions/domain/ingest/validation/utf8.ts';
import {
  daysInMonth,
  isBoolean,
  isDate,
  isDatetime,
  isGeopoint,
  isInteger,
  isNumber,
} from '../../functions/domain/ingest/validation/values.ts';

/** Runs a byte check on `text` placed inside noise, so checks must respect the range bounds. */
function onBytes(check: (b: Uint8Array, s: number, e: number) => boolean, text: string): boolean {
  const bytes = Buffer.from(`9 ${text} 9`);
  return check(new Uint8Array(bytes), 2, bytes.length - 2);
}

describe('isInteger', () => {
  it.each(['0', '42', '-7', '+7', '007', '123456789012345678901234567890'])('shouldAccept_when %j', (v) => {
    expect(onBytes(isInteger, v)).toBe(true);
  });
  it.each(['', '-', '+', '1.0', '1e3', ' 1', '1 ', '1_000', '0x1F', '--1', '١'])('shouldReject_when %j', (v) => {
    expect(onBytes(isInteger, v)).toBe(false);
  });
});

describe('isNumber', () => {
  it.each(['0', '3.14', '-3.14', '10', '1e3', '1E-3', '-2.5e+10', '0.0'])('shouldAccept_when %j', (v) => {
    expect(onBytes((b, s, e) => isNumber(b, s, e, false), v)).toBe(true);
  });
  it.each(['', '-', '+1', '.5', '5.', '1e', '1e+', '3,14', 'NaN', 'Infinity', '1.2.3', ' 1', '1 '])('shouldReject_when %j', (v) => {
    expect(onBytes((b, s, e) => isNumber(b, s, e, false), v)).toBe(false);
  });
  it.each([
    ['3,14', true],
    ['3.14', true],
    ['-0,5e2', true],
    ['3,', false],
    [',5', false],
    ['1,2,3', false],
  ])('shouldApplyDecimalComma_when %j (valid: %s)', (v, ok) => {
    expect(onBytes((b, s, e) => isNumber(b, s, e, true), v)).toBe(ok);
  });
});

describe('isBoolean', () => {
  it.each(['true', 'false', 'TRUE', 'False', '1', '0', 'yes', 'No', 'oui', 'NON', 'Oui'])('shouldAccept_when %j', (v) => {
    expect(onBytes(isBoolean, v)).toBe(true);
  });
  it.each(['', 't', 'f', 'y', 'n', '2', '10', 'truee', 'vrai', 'faux', 'ja', 'nein', ' yes', 'n0', 'tru3'])('shouldReject_when %j', (v) => {
    expect(onBytes(isBoolean, v)).toBe(false);
  });
});

describe('isDate', () => {
  it.each(['2024-02-29', '2000-02-29', '2023-12-31', '1999-01-01', '2023-04-30'])('shouldAccept_when %j', (v) => {
    expect(onBytes(isDate, v)).toBe(true);
  });
  it.each(['2023-02-29', '1900-02-29', '2023-04-31', '2023-13-01', '2023-00-10', '2023-01-00', '2023-1-01', '23-01-01', '2023/01/01', '2023-01-01T00:00:00', '202a-01-01', '2023-01-0a', ''])(
    'shouldReject_when %j',
    (v) => {
      expect(onBytes(isDate, v)).toBe(false);
    },
  );
  it.each([
    [2024, 2, 29],
    [2023, 2, 28],
    [1900, 2, 28],
    [2000, 2, 29],
    [2023, 11, 30],
    [2023, 12, 31],
  ])('shouldCountDays_when year %i month %i', (y, m, days) => {
    expect(daysInMonth(y, m)).toBe(days);
  });
});

describe('isDatetime', () => {
  it.each(['2024-02-29T23:59:59', '2024-01-01T00:00:00Z', '2024-01-01T12:30:00.123', '2024-01-01T12:30:00.5+02:00', '2024-01-01T12:30:00-05:30'])(
    'shouldAccept_when %j',
    (v) => {
      expect(onBytes(isDatetime, v)).toBe(true);
    },
  );
  it.each([
    '2024-01-01',
    '2024-01-01 12:30:00',
    '2024-01-01T24:00:00',
    '2024-01-01T12:60:00',
    '2024-01-01T12:30:60',
    '2023-02-29T12:00:00',
    '2024-01-01T12:30',
    '2024-01-01T12:30:00.',
    '2024-01-01T12:30:00z',
    '2024-01-01T12:30:00+0200',
    '2024-01-01T12:30:00+24:00',
    '2024-01-01T12:30:00Z+01:00',
    '2024-01-01T1:30:00',
  ])('shouldReject_when %j', (v) => {
    expect(onBytes(isDatetime, v)).toBe(false);
  });
});

describe('isGeopoint', () => {
  it.each(['2.35, 48.85', '2.35,48.85', '-180, -90', '180, 90', '180.000, 90.0', '0, 0', '-0.5,0.5', '0179.9, 089'])('shouldAccept_when %j', (v) => {
    expect(onBytes(isGeopoint, v)).toBe(true);
  });
  it.each(['180.0001, 0', '0, 90.5', '-181, 0', '0, -91', '2.35', '2.35,  48.85', '2.35 ,48.85', '2,35, 48,85', 'a, b', '1e2, 3', '2.35, 48.85, 1', '', ', 1', '1, '])(
    'shouldReject_when %j',
    (v) => {
      expect(onBytes(isGeopoint, v)).toBe(false);
    },
  );
});

describe('checkJsonValue', () => {
  it.each([
    [T_INTEGER, 42],
    [T_INTEGER, -1],
    [T_INTEGER, 1.0],
    [T_NUMBER, 3.14],
    [T_NUMBER, 7],
    [T_BOOLEAN, false],
    [T_DATE, '2024-02-29'],
    [T_DATETIME, '2024-02-29T10:00:00Z'],
    [T_GEOPOINT, '2.35, 48.85'],
    [T_GEOPOINT, [2.35, 48.85]],
    [T_GEOPOINT, { lon: -180, lat: 90 }],
    [T_STRING, 'anything'],
    [T_STRING, 12],
  ])('shouldAccept_when type %i gets %j', (type, v) => {
    expect(checkJsonValue(type, v)).toBe(true);
  });
  it.each([
    [T_INTEGER, '42'],
    [T_INTEGER, 1.5],
    [T_NUMBER, '3.14'],
    [T_NUMBER, true],
    [T_BOOLEAN, 'true'],
    [T_BOOLEAN, 1],
    [T_DATE, '2023-02-29'],
    [T_DATE, 20240101],
    [T_DATE, '２０２４-01-01'],
    [T_DATETIME, '2024-02-29'],
    [T_GEOPOINT, [2.35]],
    [T_GEOPOINT, [200, 0]],
    [T_GEOPOINT, ['2.35', '48.85']],
    [T_GEOPOINT, { lon: 0, lat: 91 }],
    [T_GEOPOINT, { lon: 0, lat: 1, alt: 3 }],
    [T_GEOPOINT, { x: 0, y: 1 }],
    [T_GEOPOINT, '200, 0'],
    [T_GEOPOINT, 5],
  ])('shouldReject_when type %i gets %j', (type, v) => {
    expect(checkJsonValue(type, v)).toBe(false);
  });
});

describe('Utf8Checker', () => {
  /** Feeds the chunks and returns the absolute offset of the first bad byte, or -1 (-2 when cut off at the end). */
  function firstBad(chunks: number[][]): number {
    const checker = new Utf8Checker();
    let base = 0;
    for (const c of chunks) {
      const bad = checker.check(Uint8Array.from(c));
      if (bad >= 0) return base + bad;
      base += c.length;
    }
    return checker.truncated() ? -2 : -1;
  }

  it.each([
    ['ascii', [[0x61, 0x62]]],
    ['é whole', [[0xc3, 0xa9]]],
    ['é split', [[0x61, 0xc3], [0xa9]]],
    ['€ split 1+2', [[0xe2], [0x82, 0xac]]],
    ['€ split 2+1', [[0xe2, 0x82], [0xac]]],
    ['😀 split byte by byte', [[0xf0], [0x9f], [0x98], [0x80]]],
    ['😀 after long ascii', [[...Array<number>(40).fill(0x61), 0xf0, 0x9f], [0x98, 0x80, 0x61]]],
    ['U+10FFFF', [[0xf4, 0x8f, 0xbf, 0xbf]]],
    ['empty chunk between', [[0xc3], [], [0xa9]]],
  ])('shouldAccept_when %s', (_name, chunks) => {
    expect(firstBad(chunks)).toBe(-1);
  });

  it.each([
    ['lone continuation', [[0x61, 0x80]], 1],
    ['overlong C0', [[0xc0, 0x80]], 0],
    ['overlong E0', [[0xe0, 0x80, 0x80]], 1],
    ['surrogate', [[0xed, 0xa0, 0x80]], 1],
    ['above U+10FFFF', [[0xf4, 0x90, 0x80, 0x80]], 1],
    ['F5 lead', [[0xf5]], 0],
    ['FF byte', [[0x61], [0xff]], 1],
    ['lead then ascii across chunks', [[0x61, 0xe2], [0x82, 0x41]], 3],
    ['bad byte after 100 good ones', [[...Array<number>(100).fill(0x61), 0xc3, 0x28]], 101],
    ['cut off at the end', [[0x61, 0xe2, 0x82]], -2],
  ])('shouldReject_when %s', (_name, chunks, at) => {
    expect(firstBad(chunks)).toBe(at);
  });
});
