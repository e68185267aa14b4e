import { describe, expect, it } from 'vitest';
import { en } from '../../console/src/i18n/en.ts';
import { fr } from '../../console/src/i18n/fr.ts';

describe('the console\'s messages', () => {
  it.each([['fr', fr], ['en', en]] as const)('in %s never hedge a plural with (s), (x) or (e): counted texts come in one/other pairs', (_, messages) => {
    const entries = Object.entries(messages);
    expect(entries.filter(([, text]) => /\((s|x|e|es)\)/.test(text)).map(([key]) => key)).toEqual([]);
    const keys = new Set(Object.keys(messages));
    for (const key of keys) if (key.endsWith('.one')) expect(keys.has(key.replace(/\.one$/, '.other')), key).toBe(true);
  });

  it('has the same keys in French and in English', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(fr).sort());
  });
});
