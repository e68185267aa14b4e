import { describe, expect, it } from 'vitest';
import { acrMeets, parseAcrList } from '../../functions/domain/people/assurance.ts';

const DIRIGEANT = 'https://proconnect.gouv.fr/assurance/certification-dirigeant';

describe('sign-in assurance levels (acr)', () => {
  it.each([
    ['shouldMeet_when the acr is listed', DIRIGEANT, [DIRIGEANT], true],
    ['shouldMeet_when a higher eIDAS level', 'eidas3', ['eidas2'], true],
    ['shouldMeet_when the same eIDAS level', 'eidas2', ['eidas2'], true],
    ['shouldFail_when a lower eIDAS level', 'eidas1', ['eidas2'], false],
    ['shouldFail_when no acr at all', undefined, ['eidas1'], false],
    ['shouldFail_when an eIDAS level against an unordered value', 'eidas3', [DIRIGEANT], false],
    ['shouldFail_when an unordered value against an eIDAS level', DIRIGEANT, ['eidas1'], false],
    ['shouldFail_when a look-alike of an eIDAS level', 'eidas22', ['eidas2'], false],
  ])('%s', (_case, actual, required, meets) => {
    expect(acrMeets(actual, required)).toBe(meets);
  });

  it('reads a setting as space-separated values, empty as none, and refuses what is no acr', () => {
    expect(parseAcrList(` eidas2  ${DIRIGEANT} `)).toEqual(['eidas2', DIRIGEANT]);
    expect(parseAcrList('  ')).toBeUndefined();
    expect(parseAcrList(undefined)).toBeUndefined();
    expect(() => parseAcrList('eidas2 <b>')).toThrow(/not an acr value/);
  });
});
