import { describe, expect, it } from 'vitest';
import { bearerToken, generateApiKey, hashApiKey, isWellFormedApiKey } from '../../functions/domain/identity/api-keys.ts';

describe('API keys', () => {
  it('are cpt_ followed by 32 random bytes in base64url', () => {
    const key = generateApiKey();
    expect(key).toMatch(/^cpt_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(key.slice(4), 'base64url')).toHaveLength(32);
    expect(generateApiKey()).not.toBe(key);
  });

  it('are stored as the hex SHA-256 of the whole key', () => {
    // Arrange: a known vector (`printf %s KEY | sha256sum`)
    const key = 'cpt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    // Act
    const hash = hashApiKey(key);
    // Assert
    expect(hash).toBe('81c9d48e5108d1d3055c8ac8832dfb22e0d254a46eecd5e6d661d4dcbfe90492');
    expect(hashApiKey(key + 'x')).not.toBe(hash);
  });

  it.each([
    ['Bearer cpt_abc', 'cpt_abc'],
    ['bearer cpt_abc', 'cpt_abc'],
    ['Bearer   cpt_abc  ', 'cpt_abc'],
    ['Basic cpt_abc', undefined],
    ['cpt_abc', undefined],
    ['Bearer a b', undefined],
    [undefined, undefined],
  ])('bearerToken(%j) is %j', (header, expected) => {
    expect(bearerToken(header)).toBe(expected);
  });

  it.each([
    ['cpt_' + 'a'.repeat(43), true],
    ['cpt_' + 'a'.repeat(20), true],
    ['cpt_' + 'a'.repeat(19), false],
    ['key_' + 'a'.repeat(43), false],
    ['cpt_' + 'a'.repeat(42) + '=', false],
  ])('isWellFormedApiKey(%s) is %s', (key, expected) => {
    expect(isWellFormedApiKey(key)).toBe(expected);
  });
});
