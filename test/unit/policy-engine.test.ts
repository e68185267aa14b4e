import { describe, expect, it } from 'vitest';
import type { Clause } from '../../contracts/clauses/clause.ts';
import { PolicyEngine, type EvaluationContext } from '../../contracts/engine/evaluate.ts';

const engine = new PolicyEngine();
const context = (over: Partial<EvaluationContext> = {}): EvaluationContext => ({
  now: '2026-06-15T10:00:00.000Z',
  licensee: { id: 'prt_firm', kind: 'private' },
  activatedAt: '2026-06-01T00:00:00.000Z',
  quotaUsed: {},
  ...over,
});
const request = { purpose: 'navigation', region: 'eu-west-3' };

describe('policy engine: access clauses', () => {
  it.each<[string, Clause, Partial<EvaluationContext>, Partial<typeof request>]>([
    ['shouldPermit_when the purpose is allowed', { kind: 'purpose', params: { allowed: ['navigation', 'research'] } }, {}, {}],
    ['shouldPermit_when inside the validity window', { kind: 'validity', params: { maxDuration: 'P1M', notBefore: '2026-06-01T00:00:00Z', notAfter: '2026-12-31T00:00:00Z' } }, {}, {}],
    ['shouldPermit_when the partner kind is eligible', { kind: 'partner-kinds', params: { kinds: ['private', 'public'] } }, {}, {}],
    ['shouldPermit_when delivered to an EU region', { kind: 'eu-residency', params: {} }, {}, {}],
    ['shouldPermit_when quota remains', { kind: 'quota', params: { count: 3, per: 'P1D' } }, { quotaUsed: { 0: 2 } }, {}],
  ])('%s', (_name, clause, ctx, req) => {
    const decision = engine.evaluate([clause], { ...request, ...req }, context(ctx));
    expect(decision).toMatchObject({ decision: 'permit', reasons: [] });
  });

  it.each<[string, Clause, Partial<EvaluationContext>, Partial<typeof request>, string]>([
    ['shouldDeny_when the purpose is not allowed', { kind: 'purpose', params: { allowed: ['research'] } }, {}, {}, 'purpose "navigation"'],
    ['shouldDeny_when before notBefore', { kind: 'validity', params: { notBefore: '2026-07-01T00:00:00Z' } }, {}, {}, 'not valid before'],
    ['shouldDeny_when after notAfter', { kind: 'validity', params: { notAfter: '2026-06-15T10:00:00Z' } }, {}, {}, 'expired'],
    ['shouldDeny_when maxDuration has passed since activation', { kind: 'validity', params: { maxDuration: 'P7D' } }, {}, {}, 'expired on 2026-06-08'],
    ['shouldDeny_when the partner kind is not eligible', { kind: 'partner-kinds', params: { kinds: ['public'] } }, {}, {}, 'kind private'],
    ['shouldDeny_when delivered outside the EU', { kind: 'eu-residency', params: {} }, {}, { region: 'us-east-1' }, 'outside the European Union'],
    ['shouldDeny_when no region is declared', { kind: 'eu-residency', params: {} }, {}, { region: undefined }, 'declare the delivery region'],
    ['shouldDeny_when the quota is used up', { kind: 'quota', params: { count: 3, per: 'P1D' } }, { quotaUsed: { 0: 3 } }, {}, 'quota of 3'],
  ])('%s', (_name, clause, ctx, req, message) => {
    const decision = engine.evaluate([clause], { ...request, ...req } as typeof request, context(ctx));
    expect(decision.decision).toBe('deny');
    expect(decision.reasons).toEqual([{ clause: clause.kind, message: expect.stringContaining(message) }]);
    expect(decision.quotas).toEqual([]);
  });

  it('charges each quota in its own calendar window when permitting', () => {
    const clauses: Clause[] = [
      { kind: 'quota', params: { count: 10, per: 'P1D' } },
      { kind: 'purpose', params: { allowed: ['navigation'] } },
      { kind: 'quota', params: { count: 100, per: 'P1M' } },
    ];
    const decision = engine.evaluate(clauses, request, context({ quotaUsed: { 0: 9, 2: 50 } }));
    expect(decision.quotas).toEqual([
      { clauseIndex: 0, limit: 10, windowStart: '2026-06-15T00:00:00.000Z', windowEnd: '2026-06-16T00:00:00.000Z' },
      { clauseIndex: 2, limit: 100, windowStart: '2026-06-01T00:00:00.000Z', windowEnd: '2026-07-01T00:00:00.000Z' },
    ]);
  });

  it('collects every reason instead of stopping at the first', () => {
    const decision = engine.evaluate(
      [{ kind: 'purpose', params: { allowed: ['research'] } }, { kind: 'partner-kinds', params: { kinds: ['public'] } }],
      request,
      context(),
    );
    expect(decision.reasons.map((r) => r.clause)).toEqual(['purpose', 'partner-kinds']);
  });

  it('returns transforms and obligations for enforcement, whatever the decision', () => {
    const clauses: Clause[] = [
      { kind: 'drop-fields', params: { fields: ['driver_name'] } },
      { kind: 'share-back', params: { theme: 'mobility', every: 'P1M', graceDays: 5 } },
      { kind: 'no-resale', params: {} },
    ];
    const decision = engine.evaluate(clauses, request, context());
    expect(decision).toMatchObject({ decision: 'permit', transforms: [clauses[0]], obligations: [clauses[1]] });
  });

  it('fails closed on an access clause without a registered evaluator', () => {
    const bare = new PolicyEngine({});
    expect(bare.evaluate([{ kind: 'purpose', params: { allowed: ['navigation'] } }], request, context())).toMatchObject({
      decision: 'deny',
      reasons: [{ clause: 'purpose', message: expect.stringContaining('no evaluator') }],
    });
  });

  it('refuses to register an evaluator for a non-access clause', () => {
    expect(() => new PolicyEngine({}).register('drop-fields' as 'purpose', () => ({}))).toThrow(RangeError);
  });
});
