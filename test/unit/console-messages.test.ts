import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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

  it('names every audit action the platform records in words, in both languages', () => {
    // Every literal `action: '…'` the domain records, and the licence states its lifecycle records as `licence.<state>`.
    const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
    const recorded = new Set<string>();
    // ODRL documents have actions of their own (use, delete): they are not audit events.
    for (const file of files('functions/domain').filter((f) => !/odrl/.test(f))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/action: '([a-z_.]+)'/g)) recorded.add(m[1]!);
    }
    for (const state of ['approved', 'rejected', 'declined', 'expired', 'suspended', 'reactivated', 'revoked', 'terminated']) recorded.add(`licence.${state}`);
    expect(recorded.size).toBeGreaterThan(30);
    const missing = (messages: Record<string, string>) => [...recorded].filter((a) => !(`action.${a}` in messages));
    expect(missing(fr)).toEqual([]);
    expect(missing(en)).toEqual([]);
  });
});
