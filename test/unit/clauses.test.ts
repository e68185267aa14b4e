import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { CLAUSE_KINDS, CLAUSE_PARAMS, ClauseSchema, MODE_OF } from '../../contracts/clauses/clause.ts';
import { CLAUSE_TITLES, describeClause, humanDuration } from '../../contracts/clauses/texts.ts';
import { addDuration, windowAt } from '../../contracts/calendar.ts';
import { LICENCE_TEMPLATES } from '../../contracts/templates.ts';

describe('clause catalogue', () => {
  it.each([
    [{ kind: 'purpose', params: { allowed: ['navigation'] } }],
    [{ kind: 'quota', params: { count: 5, per: 'P1D' } }],
    [{ kind: 'exclusion-zones', params: { zone: 'ecoles', position: { lat: 'lat', lon: 'lon' } } }],
    [{ kind: 'generalise-coordinates', params: { decimals: 3, position: { geopoint: 'pos' } } }],
    [{ kind: 'share-back', params: { theme: 'mobility', every: 'P1M', graceDays: 5 } }],
    [{ kind: 'no-resale', params: {} }],
  ])('shouldAccept_when %j', (clause) => {
    expect(ClauseSchema.safeParse(clause).success).toBe(true);
  });

  it.each([
    [{ kind: 'purpose', params: { allowed: [] } }],
    [{ kind: 'purpose', params: { allowed: ['Navigation Routière'] } }],
    [{ kind: 'quota', params: { count: 0, per: 'P1D' } }],
    [{ kind: 'quota', params: { count: 5, per: 'daily' } }],
    [{ kind: 'validity', params: {} }],
    [{ kind: 'generalise-coordinates', params: { decimals: 9, position: { lat: 'a', lon: 'b' } } }],
    [{ kind: 'k-anonymity', params: { k: 1, quasiIdentifiers: ['age'] } }],
    [{ kind: 'no-resale', params: { extra: true } }],
    [{ kind: 'teleport', params: {} }],
  ])('shouldReject_when %j', (clause) => {
    expect(ClauseSchema.safeParse(clause).success).toBe(false);
  });

  it('gives every kind a mode and a title in both languages', () => {
    for (const kind of CLAUSE_KINDS) {
      expect(MODE_OF[kind]).toBeDefined();
      expect(CLAUSE_TITLES[kind].fr.length).toBeGreaterThan(2);
      expect(CLAUSE_TITLES[kind].en.length).toBeGreaterThan(2);
    }
  });

  it('marks durations, field names and zone names in the parameter JSON Schemas, so forms offer the right inputs', () => {
    const props = (kind: keyof typeof CLAUSE_PARAMS) => (z.toJSONSchema(CLAUSE_PARAMS[kind], { io: 'input', unrepresentable: 'any' }) as { properties: Record<string, Record<string, unknown>> }).properties;
    expect(props('quota').per).toMatchObject({ type: 'string', format: 'duration' });
    expect(props('validity').maxDuration).toMatchObject({ format: 'duration' });
    expect(props('share-back').every).toMatchObject({ format: 'duration' });
    expect(props('usage-report').every).toMatchObject({ format: 'duration' });
    expect(props('drop-fields').fields).toMatchObject({ type: 'array', items: { format: 'field-name' } });
    expect(props('exclusion-zones').zone).toMatchObject({ format: 'zone-name' });
    expect(props('attribution').text).not.toHaveProperty('format');
    // The marks are metadata: validation is unchanged.
    expect(ClauseSchema.safeParse({ kind: 'quota', params: { count: 100, per: 'P1D' } }).success).toBe(true);
    expect(ClauseSchema.safeParse({ kind: 'quota', params: { count: 100, per: 'daily' } }).success).toBe(false);
  });

  it.each([
    ['P1Y', 'fr', '1 an'],
    ['P3Y', 'fr', '3 ans'],
    ['P1M', 'fr', '1 mois'],
    ['P1Y6M', 'fr', '1 an et 6 mois'],
    ['P2W', 'en', '2 weeks'],
    ['P1D', 'en', '1 day'],
    ['PT12H', 'fr', '12 heures'],
    ['P1DT30M', 'en', '1 day and 30 minutes'],
    ['P1Y2M3D', 'en', '1 year, 2 months and 3 days'],
    ['not-a-duration', 'fr', 'not-a-duration'],
  ] as const)('humanDuration(%s, %s) is %s', (iso, lang, text) => {
    expect(humanDuration(iso, lang)).toBe(text);
  });

  it('renders clauses with their parameters', () => {
    expect(describeClause({ kind: 'quota', params: { count: 5, per: 'P1D' } }, 'fr')).toBe('Au plus 5 accès par période de 1 jour.');
    expect(describeClause({ kind: 'share-back', params: { theme: 'mobility', every: 'P1M', graceDays: 5 } }, 'fr')).toBe(
      'Le bénéficiaire publie un jeu de données du thème « mobilité » chaque mois (délai de grâce : 5 jours).',
    );
    expect(describeClause({ kind: 'usage-report', params: { every: 'P3M' } }, 'en')).toBe('The licensee files a usage report every 3 months.');
    expect(describeClause({ kind: 'partner-kinds', params: { kinds: ['dsp', 'private'] } }, 'fr')).toBe('Réservé aux partenaires de type : délégataire de service public et entreprise.');
    expect(describeClause({ kind: 'purpose', params: { allowed: ['navigation', 'recherche', 'statistique'] } }, 'en')).toBe(
      'The data may only be used for: navigation, recherche and statistique.',
    );
  });

  // Counted nouns agree with their number: French keeps 0 and 1 singular, English only 1.
  it.each([
    [{ kind: 'delete-on-expiry', params: { withinDays: 1 } }, 'fr', 'sous 1 jour et'],
    [{ kind: 'delete-on-expiry', params: { withinDays: 30 } }, 'fr', 'sous 30 jours et'],
    [{ kind: 'delete-on-expiry', params: { withinDays: 1 } }, 'en', 'within 1 day and'],
    [{ kind: 'share-back', params: { theme: 'mobility', every: 'P1M', graceDays: 0 } }, 'fr', '(délai de grâce : 0 jour)'],
    [{ kind: 'share-back', params: { theme: 'mobility', every: 'P1M', graceDays: 0 } }, 'en', '(grace: 0 days)'],
    [{ kind: 'generalise-coordinates', params: { position: { lat: 'lat', lon: 'lon' }, decimals: 1 } }, 'fr', 'arrondies à 1 décimale.'],
    [{ kind: 'generalise-coordinates', params: { position: { lat: 'lat', lon: 'lon' }, decimals: 3 } }, 'en', 'rounded to 3 decimals.'],
  ] as const)('describes %j in %s with "%s"', (clause, lang, text) => {
    expect(describeClause(clause as never, lang)).toContain(text);
  });

  it('ships five templates whose default clauses are valid', () => {
    expect(LICENCE_TEMPLATES.map((t) => t.id)).toEqual(['etalab-2.0', 'odbl-1.0', 'territorial-restricted', 'mobility', 'dsp-data']);
    for (const t of LICENCE_TEMPLATES) for (const c of t.defaultClauses) expect(ClauseSchema.safeParse(c).success, `${t.id} ${c.kind}`).toBe(true);
  });
});

describe('calendar', () => {
  it.each([
    ['2026-01-31T23:00:00.000Z', 'P1M', 1, '2026-02-28T23:00:00.000Z'],
    ['2026-03-28T23:00:00.000Z', 'P1D', 1, '2026-03-29T22:00:00.000Z'],
    ['2026-03-28T23:00:00.000Z', 'PT24H', 1, '2026-03-29T23:00:00.000Z'],
    ['2026-06-01T00:00:00.000Z', 'P1W', 3, '2026-06-22T00:00:00.000Z'],
  ])('addDuration(%s, %s, %i) is %s (Paris calendar)', (start, d, k, expected) => {
    expect(addDuration(start, d, k)).toBe(expected);
  });

  it.each([
    ['2026-06-01T00:00:00.000Z', 0],
    ['2026-06-15T10:00:00.000Z', 14],
    ['2026-06-30T23:59:59.999Z', 29],
    ['2026-07-01T00:00:00.000Z', 30],
  ])('places %s in daily window %i', (at, index) => {
    expect(windowAt('2026-06-01T00:00:00.000Z', 'P1D', at).index).toBe(index);
  });
});
