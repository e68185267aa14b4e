import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCsvTransformer, planTransforms } from '../../functions/domain/enforcement/index.ts';
import { Pseudonymiser } from '../../functions/domain/enforcement/pseudonymise.ts';

// Pseudonyms link rows within one licence and never across licences: each licence has its own key.

const keyArb = fc.uint8Array({ minLength: 16, maxLength: 64 });
/** A second key that differs from the first in one byte, anywhere, the last one included. */
const neighbourArb = keyArb.chain((key) =>
  fc.tuple(fc.integer({ min: 0, max: key.length - 1 }), fc.integer({ min: 1, max: 255 })).map(([at, mask]) => {
    const other = Uint8Array.from(key);
    other[at] = other[at]! ^ mask;
    return [key, other] as const;
  }),
);
const keyPairArb = fc.oneof(neighbourArb, fc.tuple(keyArb, keyArb).filter(([a, b]) => Buffer.compare(a, b) !== 0));
const valuesArb = fc.uniqueArray(fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), fc.string({ minLength: 257, maxLength: 300 })), { minLength: 1, maxLength: 60 });

describe('pseudonyms under per-licence keys', () => {
  it('shares no pseudonym between two keys over a set of values, while each key keeps values apart', () => {
    fc.assert(
      fc.property(keyPairArb, valuesArb, ([k1, k2], values) => {
        const under = (key: Uint8Array) => values.map((v) => new Pseudonymiser(key).text(v));
        const [a, b] = [under(k1), under(k2)];
        expect(new Set(a).size).toBe(values.length);
        expect(new Set(b).size).toBe(values.length);
        const shared = a.filter((x) => new Set(b).has(x));
        expect(shared).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('gives one key the same pseudonyms on every run, whatever the cache holds or the order of the values', () => {
    fc.assert(
      fc.property(keyArb, valuesArb, fc.integer({ min: 1, max: 8 }), (key, values, maxEntries) => {
        const first = new Map(values.map((v) => [v, new Pseudonymiser(key).text(v)]));
        const cramped = new Pseudonymiser(Uint8Array.from(key), { maxEntries });
        for (const v of [...values].reverse().concat(values)) expect(cramped.text(v)).toBe(first.get(v));
      }),
      { numRuns: 200 },
    );
  });

  it('pseudonymises a CSV column to disjoint values under two licence keys, and to the same values again under one', () => {
    const plan = planTransforms([{ kind: 'pseudonymise-fields', fields: ['vehicle_id'] }], [{ name: 'vehicle_id', type: 'string', personal: true }, { name: 'n', type: 'integer' }]);
    const column = (csv: string, key: Uint8Array) => {
      const t = createCsvTransformer(plan, { hmacKey: key });
      const out = Buffer.concat([t.push(Buffer.from(csv)), t.finish()]).toString();
      return out.trim().split('\n').slice(1).map((line) => line.split(',')[0]!);
    };
    fc.assert(
      fc.property(keyPairArb, fc.uniqueArray(fc.stringMatching(/^[A-Z]{2,4}-[0-9]{1,4}$/), { minLength: 1, maxLength: 40 }), ([k1, k2], ids) => {
        const csv = `vehicle_id,n\n${ids.map((id, i) => `${id},${i}`).join('\n')}\n`;
        const [a, b] = [column(csv, k1), column(csv, k2)];
        expect(a).toHaveLength(ids.length);
        expect(a.filter((x) => b.includes(x))).toEqual([]);
        expect(column(csv, k1)).toEqual(a);
      }),
      { numRuns: 100 },
    );
  });
});
