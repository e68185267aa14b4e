import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Clause } from '../../contracts/clauses/clause.ts';
import { PolicyEngine } from '../../contracts/engine/evaluate.ts';
import { mergeWithPolicy } from '../../contracts/policy/merge.ts';
import { PolicyRuleSchema, type PolicyRule, type PolicySubject, type TerritoryPolicy } from '../../contracts/policy/policy.ts';

const subject: PolicySubject = { theme: 'mobility', classification: 'restricted', licenseeKind: 'private', personalFields: ['vehicle_id'], licenseeIsOwner: false };
const rule = (r: Record<string, unknown>): PolicyRule => PolicyRuleSchema.parse(r);
const policy = (...rules: PolicyRule[]): TerritoryPolicy => ({ version: 7, rules });
const merged = (offer: Clause[], p: TerritoryPolicy, s: PolicySubject = subject) => {
  const result = mergeWithPolicy(offer, p, s);
  if (!result.ok) throw new Error(`unexpected violation: ${result.violation.message}`);
  return result;
};

describe('merge with the territory policy', () => {
  it('adds share-back and pseudonymisation to mobility data licensed to private firms', () => {
    const p = policy(
      rule({
        id: 'mobility-private',
        when: { theme: 'mobility', licenseeKinds: ['private'] },
        require: [
          { kind: 'share-back', params: { theme: 'mobility', every: 'P1M', graceDays: 5 } },
          { kind: 'pseudonymise-fields', params: { fields: ['vehicle_id'] } },
        ],
        requireApproval: true,
      }),
      rule({ id: 'energy-only', when: { theme: 'energy' }, require: [{ kind: 'no-resale', params: {} }] }),
    );
    const result = merged([{ kind: 'redact-fields', params: { fields: ['driver_name'] } }], p);
    expect(result).toMatchObject({ appliedRules: ['mobility-private'], requiresApproval: true, policyVersion: 7 });
    expect(result.clauses).toEqual([
      { kind: 'redact-fields', params: { fields: ['driver_name'] } },
      { kind: 'pseudonymise-fields', params: { fields: ['vehicle_id'] } },
      { kind: 'share-back', params: { theme: 'mobility', every: 'P1M', graceDays: 5 } },
    ]);
  });

  it.each<[string, Clause[], PolicyRule, Clause[]]>([
    ['intersects purposes', [{ kind: 'purpose', params: { allowed: ['navigation', 'research'] } }], rule({ id: 'r', require: [{ kind: 'purpose', params: { allowed: ['research', 'statistics'] } }] }), [{ kind: 'purpose', params: { allowed: ['research'] } }]],
    ['keeps the shortest validity', [{ kind: 'validity', params: { maxDuration: 'P5Y' } }], rule({ id: 'r', maxDuration: 'P3Y' }), [{ kind: 'validity', params: { maxDuration: 'P3Y' } }]],
    ['keeps every quota', [{ kind: 'quota', params: { count: 100, per: 'P1D' } }], rule({ id: 'r', require: [{ kind: 'quota', params: { count: 1000, per: 'P1M' } }] }), [{ kind: 'quota', params: { count: 100, per: 'P1D' } }, { kind: 'quota', params: { count: 1000, per: 'P1M' } }]],
    ['drops beat redactions on the same field', [{ kind: 'redact-fields', params: { fields: ['a', 'b'] } }], rule({ id: 'r', require: [{ kind: 'drop-fields', params: { fields: ['a'] } }] }), [{ kind: 'drop-fields', params: { fields: ['a'] } }, { kind: 'redact-fields', params: { fields: ['b'] } }]],
    ['keeps the coarsest rounding per position', [{ kind: 'generalise-coordinates', params: { decimals: 4, position: { lat: 'lat', lon: 'lon' } } }], rule({ id: 'r', require: [{ kind: 'generalise-coordinates', params: { decimals: 2, position: { lat: 'lat', lon: 'lon' } } }] }), [{ kind: 'generalise-coordinates', params: { decimals: 2, position: { lat: 'lat', lon: 'lon' } } }]],
  ])('%s', (_name, offer, r, expected) => {
    const s = { ...subject, personalFields: [] };
    expect(merged(offer, policy(r), s).clauses).toEqual(expected);
  });

  it('pseudonymises personal fields unless the licensee owns the data', () => {
    expect(merged([], policy()).clauses).toEqual([{ kind: 'pseudonymise-fields', params: { fields: ['vehicle_id'] } }]);
    expect(merged([], policy(), { ...subject, licenseeIsOwner: true }).clauses).toEqual([]);
    expect(merged([{ kind: 'drop-fields', params: { fields: ['vehicle_id'] } }], policy()).clauses).toEqual([{ kind: 'drop-fields', params: { fields: ['vehicle_id'] } }]);
  });

  it.each<[string, Clause[], PolicyRule, string]>([
    ['a forbidden clause', [{ kind: 'no-resale', params: {} }, { kind: 'eu-residency', params: {} }], rule({ id: 'no-eu-lock', forbid: ['eu-residency'] }), 'eu-residency is forbidden'],
    ['disjoint purposes', [{ kind: 'purpose', params: { allowed: ['advertising'] } }], rule({ id: 'public-interest', require: [{ kind: 'purpose', params: { allowed: ['research'] } }] }), 'no purpose of the offer'],
    ['disjoint partner kinds', [{ kind: 'partner-kinds', params: { kinds: ['private'] } }], rule({ id: 'public-only', require: [{ kind: 'partner-kinds', params: { kinds: ['public'] } }] }), 'no partner kind'],
  ])('refuses an offer with %s, naming the rule', (_name, offer, r, message) => {
    expect(mergeWithPolicy(offer, policy(r), subject)).toEqual({ ok: false, violation: { rule: r.id, message: expect.stringContaining(message) } });
  });

  it('refuses a clause one rule forbids even when another rule requires it', () => {
    const p = policy(rule({ id: 'no-eu-lock', forbid: ['eu-residency'] }), rule({ id: 'eu-only', require: [{ kind: 'eu-residency', params: {} }] }));
    expect(mergeWithPolicy([], p, subject)).toEqual({ ok: false, violation: { rule: 'no-eu-lock', message: expect.stringContaining('eu-residency') } });
  });

  it('applies only the rules whose conditions all hold', () => {
    const p = policy(
      rule({ id: 'personal', when: { personalFields: true }, require: [{ kind: 'no-reidentification', params: {} }] }),
      rule({ id: 'open-only', when: { classification: 'open' }, require: [{ kind: 'attribution', params: { text: 'x' } }] }),
      rule({ id: 'public-licensees', when: { licenseeKinds: ['public'] }, require: [{ kind: 'no-resale', params: {} }] }),
    );
    expect(merged([], p).appliedRules).toEqual(['personal']);
  });
});

// Properties over random offers, rules and requests.
const purposeArb = fc.subarray(['navigation', 'research', 'statistics', 'planning'], { minLength: 1 });
const kindsArb = fc.subarray(['public', 'dsp', 'private'] as const, { minLength: 1 });
const fieldsArb = fc.subarray(['a', 'b', 'c', 'd'], { minLength: 1 });
const clauseArb: fc.Arbitrary<Clause> = fc.oneof(
  purposeArb.map((allowed) => ({ kind: 'purpose', params: { allowed } }) as Clause),
  kindsArb.map((kinds) => ({ kind: 'partner-kinds', params: { kinds: [...kinds] } }) as Clause),
  fc.record({ count: fc.integer({ min: 1, max: 5 }), per: fc.constantFrom('P1D', 'P1M') }).map((params) => ({ kind: 'quota', params }) as Clause),
  fc.constantFrom('P7D', 'P1M', 'P1Y').map((maxDuration) => ({ kind: 'validity', params: { maxDuration } }) as Clause),
  fc.constant({ kind: 'eu-residency', params: {} } as Clause),
  fc.tuple(fc.constantFrom('drop-fields', 'redact-fields', 'pseudonymise-fields'), fieldsArb).map(([kind, fields]) => ({ kind, params: { fields } }) as Clause),
);
// Ids are given when the rules are assembled into a policy.
const ruleArb = fc.record({ require: fc.array(clauseArb, { maxLength: 3 }), maxDuration: fc.option(fc.constantFrom('P7D', 'P1M', 'P3Y'), { nil: undefined }) });
const contextArb = fc.record({
  daysAfter: fc.integer({ min: 0, max: 400 }),
  used: fc.integer({ min: 0, max: 6 }),
  kind: fc.constantFrom('public', 'dsp', 'private'),
  purpose: fc.constantFrom('navigation', 'research', 'statistics', 'planning', 'advertising'),
  region: fc.constantFrom('eu-west-3', 'us-east-1'),
});
const engine = new PolicyEngine();
const STRENGTH: Record<string, number> = { 'drop-fields': 3, 'redact-fields': 2, 'pseudonymise-fields': 1 };
const strengthOf = (clauses: Clause[], field: string) =>
  Math.max(0, ...clauses.filter((c) => c.kind in STRENGTH && (c.params as { fields: string[] }).fields.includes(field)).map((c) => STRENGTH[c.kind]!));

describe('merge properties', () => {
  it('never makes a licence more permissive', () => {
    fc.assert(
      fc.property(fc.array(clauseArb, { maxLength: 5 }), fc.array(ruleArb, { maxLength: 3 }), contextArb, (offer, rules, c) => {
        const p = policy(...rules.map((r, i) => rule({ id: `r${i}`, require: r.require, ...(r.maxDuration ? { maxDuration: r.maxDuration } : {}) })));
        const result = mergeWithPolicy(offer, p, { ...subject, personalFields: [] });
        if (!result.ok) return;
        const activatedAt = '2026-01-01T00:00:00.000Z';
        const ctx = (clauses: Clause[]) => ({
          now: new Date(Date.parse(activatedAt) + c.daysAfter * 86_400_000).toISOString(),
          licensee: { id: 'x', kind: c.kind },
          activatedAt,
          quotaUsed: Object.fromEntries(clauses.map((_, i) => [i, c.used])),
        });
        const request = { purpose: c.purpose, region: c.region };
        if (engine.evaluate(result.clauses, request, ctx(result.clauses)).decision === 'permit') {
          expect(engine.evaluate(offer, request, ctx(offer)).decision).toBe('permit');
        }
        for (const field of ['a', 'b', 'c', 'd']) expect(strengthOf(result.clauses, field)).toBeGreaterThanOrEqual(strengthOf(offer, field));
      }),
      { numRuns: 300 },
    );
  });

  it('always names a clause of the licence in every deny reason', () => {
    fc.assert(
      fc.property(fc.array(clauseArb, { maxLength: 6 }), contextArb, (clauses, c) => {
        const decision = engine.evaluate(clauses, { purpose: c.purpose, region: c.region }, {
          now: '2026-03-01T00:00:00.000Z',
          licensee: { id: 'x', kind: c.kind },
          activatedAt: '2026-01-01T00:00:00.000Z',
          quotaUsed: Object.fromEntries(clauses.map((_, i) => [i, c.used])),
        });
        const kinds = new Set(clauses.map((cl) => cl.kind));
        for (const reason of decision.reasons) expect(kinds.has(reason.clause)).toBe(true);
        expect(decision.decision === 'deny').toBe(decision.reasons.length > 0);
      }),
      { numRuns: 300 },
    );
  });
});
