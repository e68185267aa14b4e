import { describe, expect, it } from 'vitest';
import { canonicalJson, digestOf, sha256Hex } from '../../contracts/digest.ts';

describe('canonical JSON (RFC 8785)', () => {
  it.each([
    [{ b: 1, a: 2 }, '{"a":2,"b":1}'],
    [{ a: [3, { z: 1, y: null }] }, '{"a":[3,{"y":null,"z":1}]}'],
    [{ n: 1.0, e: 1e21, f: 0.1 }, '{"e":1e+21,"f":0.1,"n":1}'],
    [{ s: 'é\u2028"' }, '{"s":"é\u2028\\""}'],
    [{ u: undefined, k: 1 }, '{"k":1}'],
  ])('canonicalJson(%j) is %s', (value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it('sorts keys by UTF-16 code units, as the RFC requires', () => {
    // RFC 8785 §3.2.3 example: "\u20ac" (€) sorts after "\r" and before "\ud83d\ude00" (😀).
    expect(canonicalJson({ '😀': 1, '€': 2, '\r': 3 })).toBe('{"\\r":3,"€":2,"😀":1}');
  });

  it('gives the same digest whatever the key order or spacing', () => {
    expect(digestOf(JSON.parse('{ "b" : [1, 2], "a": "x" }'))).toBe(digestOf({ a: 'x', b: [1, 2] }));
    expect(digestOf({ a: 'x' })).not.toBe(digestOf({ a: 'y' }));
  });

  it('hashes UTF-8 text with SHA-256', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('refuses values JSON cannot represent', () => {
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
  });
});
