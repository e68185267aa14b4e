import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseNumber, writeRounded } from '../../functions/domain/enforcement/numbers.ts';
import { Pseudonymiser } from '../../functions/domain/enforcement/pseudonymise.ts';

const KEY = new Uint8Array(16).fill(9);
const encoder = new TextEncoder();
const expected = (v: string): string => createHmac('sha256', KEY).update(v).digest('hex').slice(0, 32);

describe('Pseudonymiser cache', () => {
  it.each([
    ['a tiny entry bound', { maxEntries: 7 }],
    ['a tiny arena', { maxArenaBytes: 300 }],
    ['the defaults', {}],
  ])('shouldStayCorrect_when %s forces clears and growth', (_name, limits) => {
    const p = new Pseudonymiser(KEY, limits);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 3000; i += round + 1) expect(p.text(`value-${i % 1500}`)).toBe(expected(`value-${i % 1500}`));
    }
  });

  it.each([
    ['a 300-byte value (not cached)', 'x'.repeat(300)],
    ['a 256-byte value', 'y'.repeat(256)],
    ['multi-byte characters', 'Zoë 𝄞 €'],
    ['a quote and a newline', 'a"b\nc'],
  ])('shouldHashTheBytes_when given %s', (_name, value) => {
    const p = new Pseudonymiser(KEY);
    expect(p.text(value)).toBe(expected(value));
    expect(p.text(value)).toBe(expected(value));
  });

  it('shouldTellApartValues_when their hashes collide in the table', () => {
    // Values of one length that differ in one byte land in nearby slots; each keeps its own pseudonym.
    const p = new Pseudonymiser(KEY, { maxEntries: 64 });
    const values = Array.from({ length: 200 }, (_, i) => `id-${String(i).padStart(3, '0')}`);
    for (const v of [...values, ...values.reverse()]) expect(p.text(v)).toBe(expected(v));
  });
});

describe('coordinate numbers', () => {
  it.each([
    ['45.123456', false, 45.123456],
    ['-4.5', false, -4.5],
    ['48', false, 48],
    ['1e-3', false, 0.001],
    ['48,85', true, 48.85],
    ['48,85', false, NaN],
    ['0.12345678901234567', false, 0.12345678901234567],
    ['', false, NaN],
    ['-', false, NaN],
    ['4.', false, NaN],
    ['1e', false, NaN],
    [' 4', false, NaN],
  ])('shouldParse_when the text is %j (decimal comma %s)', (text, comma, value) => {
    const b = encoder.encode(text);
    expect(parseNumber(b, 0, b.length, comma)).toBe(value);
  });

  it.each([
    ['48,856', 2, true, '48,86'],
    ['99.995', 2, false, '100.00'],
    ['0.5', 0, false, '1'],
    ['-0.5', 0, false, '-1'],
    ['-0.04', 1, false, '0.0'],
    ['12.3', 6, false, '12.3'],
    ['1e300', 2, false, null],
    ['x', 2, false, null],
  ])('shouldRound_when %s keeps %i decimals', (text, decimals, comma, result) => {
    const b = encoder.encode(text);
    const out = new Uint8Array(64);
    const end = writeRounded(b, 0, b.length, decimals, comma, out, 0);
    expect(end < 0 ? null : new TextDecoder().decode(out.subarray(0, end))).toBe(result);
  });
});
