import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonTooComplexError, assertJsonShape } from '../../functions/http/json-shape.ts';

/** The reference: depth and longest array of a parsed value, by plain recursion (fine for the small values generated here). */
function shapeOf(value: unknown): { depth: number; longest: number } {
  if (value === null || typeof value !== 'object') return { depth: 0, longest: 0 };
  const children = Array.isArray(value) ? value : Object.values(value);
  const inner = children.map(shapeOf);
  return {
    depth: 1 + Math.max(0, ...inner.map((s) => s.depth)),
    longest: Math.max(Array.isArray(value) ? value.length : 0, ...inner.map((s) => s.longest)),
  };
}

const limits = { depth: 4, arrayItems: 5 };
const accepts = (text: string) => {
  try {
    assertJsonShape(text, limits);
    return true;
  } catch (error) {
    expect(error).toBeInstanceOf(JsonTooComplexError);
    return false;
  }
};

describe('JSON body bounds', () => {
  it('shouldAccept_exactlyTheValuesWithinDepthAndArrayBounds, brackets, quotes and escapes inside strings included', () => {
    // Strings full of brackets, commas, quotes and backslashes must not count as structure.
    const tricky = fc.string({ unit: fc.constantFrom('[', ']', '{', '}', ',', '"', '\\', 'a') });
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tricky, fc.integer(), fc.constant(null), tie('array'), tie('object')),
      array: fc.array(tie('node'), { maxLength: 7 }),
      object: fc.dictionary(tricky, tie('node'), { maxKeys: 3 }),
    })).node;
    fc.assert(
      fc.property(value, fc.boolean(), (v, pretty) => {
        const text = JSON.stringify(v, null, pretty ? 2 : undefined);
        const { depth, longest } = shapeOf(v);
        expect(accepts(text)).toBe(depth <= limits.depth && longest <= limits.arrayItems);
      }),
      { numRuns: 3000 },
    );
  });

  it('shouldRefuse_anyNestingPastTheBound_inOnePassWithoutRecursion', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200_000 }), fc.constantFrom('[', '{"k":'), (depth, open) => {
        const close = open === '[' ? ']' : '}';
        const text = `${open.repeat(depth)}0${close.repeat(depth)}`;
        expect(accepts(text)).toBe(depth <= limits.depth);
      }),
      { numRuns: 200 },
    );
  });
});
