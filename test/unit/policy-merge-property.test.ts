import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PARTNER_KINDS, type Clause, type ClauseKind, type ClauseOf } from '../../contracts/clauses/clause.ts';
import { canonicalJson } from '../../contracts/digest.ts';
import { PolicyEngine } from '../../contracts/engine/evaluate.ts';
import { mergeWithPolicy, type MergeResult } from '../../contracts/policy/merge.ts';
import { PolicyRuleSchema, type PolicyRule, type PolicySubject, type TerritoryPolicy } from '../../contracts/policy/policy.ts';

// The merged licence checked against the RULES that matched, not only against the offer: every
// generated input reaches an assertion (violations are checked against an independent oracle).

const THEMES = ['mobility', 'energy', 'water'];
const CLASSIFICATIONS = ['open', 'shared', 'restricted'] as const;
const PURPOSES = ['navigation', 'research', 'statistics', 'planning'];
const FIELDS = ['a', 'b', 'c', 'd'];
/** Durations the generators use, shortest first (compared over the months they can span). */
const DURATIONS = ['P7D', 'P30D', 'P3M', 'P1Y', 'P3Y'];
const BASE = Date.parse('2026-01-01T00:00:00.000Z');
const DAY = 86_400_000;

/** An instant `day` days after BASE, written in UTC or with a ±hh:00 offset (compared by instant, not by text). */
const instantArb = (from: number, to: number) =>
  fc.tuple(fc.integer({ min: from, max: to }), fc.constantFrom(0, 2, -5)).map(([day, offset]) => {
    const at = BASE + day * DAY;
    if (offset === 0) return new Date(at).toISOString();
    const local = new Date(at + offset * 3_600_000).toISOString().slice(0, 19);
    return `${local}${offset > 0 ? '+' : '-'}0${Math.abs(offset)}:00`;
  });
const durationArb = fc.constantFrom(...DURATIONS);
const positionArb = fc.constantFrom({ lat: 'lat', lon: 'lon' }, { geopoint: 'geo' });
const fieldsArb = fc.subarray(FIELDS, { minLength: 1 });

/** At least one bound of three, without filtering: the first missing one is filled when all are absent. */
const validityArb = fc
  .record({ maxDuration: durationArb, notBefore: instantArb(0, 100), notAfter: instantArb(30, 150) }, { requiredKeys: [] })
  .chain((v) => (Object.keys(v).length ? fc.constant(v) : durationArb.map((maxDuration) => ({ maxDuration }))));

/** The clauses that narrow a licence to nothing when sources disagree: purposes, partner kinds, windows. */
const narrowingArb: fc.Arbitrary<Clause> = fc.oneof(
  fc.subarray(PURPOSES, { minLength: 1, maxLength: 2 }).map((allowed) => ({ kind: 'purpose', params: { allowed } }) as Clause),
  fc.subarray([...PARTNER_KINDS], { minLength: 1, maxLength: 2 }).map((kinds) => ({ kind: 'partner-kinds', params: { kinds } }) as Clause),
  validityArb.map((params) => ({ kind: 'validity', params }) as Clause),
);
/** Every other kind of the catalogue. */
const otherClauseArb: fc.Arbitrary<Clause> = fc.oneof(
  fc.record({ count: fc.integer({ min: 1, max: 5 }), per: fc.constantFrom('P1D', 'P1M') }).map((params) => ({ kind: 'quota', params }) as Clause),
  fc.constant({ kind: 'eu-residency', params: {} } as Clause),
  fc.record({ zone: fc.constantFrom('ecoles', 'creches'), position: positionArb }).map((params) => ({ kind: 'exclusion-zones', params }) as Clause),
  fc.record({ k: fc.integer({ min: 2, max: 10 }), quasiIdentifiers: fieldsArb }).map((params) => ({ kind: 'k-anonymity', params }) as Clause),
  fc.tuple(fc.constantFrom('drop-fields', 'redact-fields', 'pseudonymise-fields'), fieldsArb).map(([kind, fields]) => ({ kind, params: { fields } }) as Clause),
  fc.record({ decimals: fc.integer({ min: 0, max: 6 }), position: positionArb }).map((params) => ({ kind: 'generalise-coordinates', params }) as Clause),
  fc.record({ theme: fc.constantFrom(...THEMES), every: fc.constantFrom('P1M', 'P3M'), graceDays: fc.integer({ min: 0, max: 10 }) }).map((params) => ({ kind: 'share-back', params }) as Clause),
  fc.constantFrom('Source : Métropole', 'Données Eaux du Territoire').map((text) => ({ kind: 'attribution', params: { text } }) as Clause),
  fc.integer({ min: 0, max: 30 }).map((withinDays) => ({ kind: 'delete-on-expiry', params: { withinDays } }) as Clause),
  fc.constantFrom('P1M', 'P1Y').map((every) => ({ kind: 'usage-report', params: { every } }) as Clause),
  fc.constantFrom({ kind: 'no-resale', params: {} } as Clause, { kind: 'no-reidentification', params: {} } as Clause),
);
/** Kinds a rule may forbid; pseudonymisation is the platform's floor for personal fields, not the parties' choice. */
const FORBIDDABLE: ClauseKind[] = ['eu-residency', 'quota', 'share-back', 'attribution', 'no-resale', 'exclusion-zones', 'generalise-coordinates', 'usage-report'];

/** Mostly absent: a condition, a forbid list, an approval flag appear on about one rule in three. */
const sometimes = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 2 }, { arbitrary: arb, weight: 1 });
/** Rules lean on the narrowing clauses so that refusals happen too. */
const requiredArb = fc.oneof({ arbitrary: narrowingArb, weight: 3 }, { arbitrary: otherClauseArb, weight: 2 });
const ruleArb = fc
  .record({
    theme: sometimes(fc.subarray(THEMES, { minLength: 1, maxLength: 2 })),
    classification: sometimes(fc.subarray([...CLASSIFICATIONS], { minLength: 1, maxLength: 2 })),
    licenseeKinds: sometimes(fc.subarray([...PARTNER_KINDS], { minLength: 1, maxLength: 3 })),
    personalFields: sometimes(fc.boolean()),
    require: fc.array(requiredArb, { maxLength: 3 }),
    forbid: sometimes(fc.subarray(FORBIDDABLE, { minLength: 1, maxLength: 2 })),
    maxDuration: sometimes(durationArb),
    requireApproval: sometimes(fc.boolean()),
  })
  .map(({ theme, classification, licenseeKinds, personalFields, ...rest }) => {
    const defined = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
    return { when: defined({ theme, classification, licenseeKinds, personalFields }), ...defined(rest) };
  });
const subjectArb: fc.Arbitrary<PolicySubject> = fc.record({
  theme: fc.constantFrom(...THEMES),
  classification: fc.constantFrom(...CLASSIFICATIONS),
  licenseeKind: fc.constantFrom(...PARTNER_KINDS),
  personalFields: fc.subarray(['b', 'vehicle_id']),
  licenseeIsOwner: fc.boolean(),
});
/** Offers carry at most one purpose and one partner-kinds clause, as offers are written. */
const offerArb = fc
  .tuple(
    fc.option(fc.subarray(PURPOSES, { minLength: 2 }), { nil: undefined }),
    fc.option(fc.subarray([...PARTNER_KINDS], { minLength: 2 }), { nil: undefined }),
    fc.array(fc.oneof(validityArb.map((params) => ({ kind: 'validity', params }) as Clause), otherClauseArb), { maxLength: 5 }),
  )
  .map(([purposes, kinds, rest]): Clause[] => [
    ...(purposes ? [{ kind: 'purpose', params: { allowed: purposes } } as Clause] : []),
    ...(kinds ? [{ kind: 'partner-kinds', params: { kinds: [...kinds] } } as Clause] : []),
    ...rest,
  ]);
const policyArb = fc.array(ruleArb, { maxLength: 4, size: 'max' }).map(
  (rules): TerritoryPolicy => ({ version: 3, rules: rules.map((r, i) => PolicyRuleSchema.parse({ id: `rule-${i}`, ...r })) }),
);

/** The oracle's own reading of a rule's conditions, independent of `ruleMatches`. */
function matches(rule: PolicyRule, s: PolicySubject): boolean {
  const { theme, classification, licenseeKinds, personalFields } = rule.when;
  if (theme && !theme.includes(s.theme)) return false;
  if (classification && !(classification as string[]).includes(s.classification)) return false;
  if (licenseeKinds && !(licenseeKinds as string[]).includes(s.licenseeKind)) return false;
  return personalFields === undefined || personalFields === s.personalFields.length > 0;
}
/** What a matching rule adds to the licence: its clauses, and its maximum duration as a validity clause. */
const requiredBy = (rule: PolicyRule): Clause[] => [...rule.require, ...(rule.maxDuration ? [{ kind: 'validity', params: { maxDuration: rule.maxDuration } } as Clause] : [])];
const ofKind = <K extends ClauseKind>(clauses: readonly Clause[], kind: K) => clauses.filter((c): c is ClauseOf<K> => c.kind === kind);
const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);

type Expected = { violation: string; message: RegExp } | { ok: true };

/** Which rule (if any) must refuse the merge, in the order the merge states its checks. */
function expectedOutcome(offer: Clause[], rules: PolicyRule[]): Expected {
  const brought = [...offer, ...rules.flatMap(requiredBy)];
  for (const rule of rules) {
    const kinds = brought.filter((c) => rule.forbid?.includes(c.kind)).map((c) => c.kind);
    if (kinds.length) return { violation: rule.id, message: new RegExp(`clause (${kinds.join('|')}) is forbidden`) };
  }
  for (const [kind, param, text] of [['purpose', 'allowed', 'no purpose'], ['partner-kinds', 'kinds', 'no partner kind']] as const) {
    let left: string[] | undefined;
    const narrow = (values: readonly string[]) => (left = left === undefined ? [...values] : left.filter((v) => values.includes(v)));
    for (const c of offer.filter((c) => c.kind === kind)) narrow((c.params as Record<string, string[]>)[param]!);
    for (const rule of rules) {
      for (const c of rule.require.filter((c) => c.kind === kind)) {
        if (narrow((c.params as Record<string, string[]>)[param]!).length === 0) return { violation: rule.id, message: new RegExp(text) };
      }
    }
  }
  // A window the rules close entirely would make a licence no access can ever use.
  const bounds = ofKind(offer, 'validity').map((c) => c.params);
  for (const rule of rules) {
    for (const c of ofKind(rule.require, 'validity')) {
      bounds.push(c.params);
      const from = bounds.flatMap((b) => (b.notBefore ? [Date.parse(b.notBefore)] : []));
      const until = bounds.flatMap((b) => (b.notAfter ? [Date.parse(b.notAfter)] : []));
      if (from.length && until.length && Math.max(...from) >= Math.min(...until)) return { violation: rule.id, message: /no validity window/ };
    }
  }
  return { ok: true };
}

const STRENGTH = { 'drop-fields': 3, 'redact-fields': 2, 'pseudonymise-fields': 1 } as const;
const fieldKinds = Object.keys(STRENGTH) as (keyof typeof STRENGTH)[];
const strengthOf = (clauses: readonly Clause[], field: string) =>
  Math.max(0, ...fieldKinds.flatMap((kind) => ofKind(clauses, kind).filter((c) => c.params.fields.includes(field)).map(() => STRENGTH[kind])));
const rank = (duration: string) => DURATIONS.indexOf(duration);
const latest = (instants: string[]) => Math.max(...instants.map((i) => Date.parse(i)));
const earliest = (instants: string[]) => Math.min(...instants.map((i) => Date.parse(i)));

/** The merged clauses hold every source clause at least as strictly, and nothing the sources did not bring. */
function expectStrictestOf(merged: Clause[], sources: Clause[], subject: PolicySubject): void {
  const intersection = (lists: string[][]) => lists.reduce((acc, l) => acc.filter((x) => l.includes(x)));
  // Purposes and partner kinds: exactly what every source allows.
  const purposes = ofKind(sources, 'purpose').map((c) => c.params.allowed);
  expect(ofKind(merged, 'purpose').map((c) => [...c.params.allowed].sort())).toEqual(purposes.length ? [intersection(purposes).sort()] : []);
  const kinds = ofKind(sources, 'partner-kinds').map((c) => [...c.params.kinds] as string[]);
  expect(ofKind(merged, 'partner-kinds').map((c) => [...c.params.kinds].sort())).toEqual(kinds.length ? [intersection(kinds).sort()] : []);

  // Validity: one clause, the intersection of every window, the shortest duration.
  const windows = ofKind(sources, 'validity').map((c) => c.params);
  const validity = ofKind(merged, 'validity');
  expect(validity).toHaveLength(windows.length ? 1 : 0);
  if (windows.length) {
    const v = validity[0]!.params;
    const notBefores = windows.flatMap((w) => (w.notBefore ? [w.notBefore] : []));
    const notAfters = windows.flatMap((w) => (w.notAfter ? [w.notAfter] : []));
    const durations = windows.flatMap((w) => (w.maxDuration ? [w.maxDuration] : []));
    expect(v.notBefore === undefined ? undefined : Date.parse(v.notBefore)).toBe(notBefores.length ? latest(notBefores) : undefined);
    expect(v.notAfter === undefined ? undefined : Date.parse(v.notAfter)).toBe(notAfters.length ? earliest(notAfters) : undefined);
    expect(v.maxDuration).toBe(durations.length ? durations.sort((x, y) => rank(x) - rank(y))[0] : undefined);
  }

  // Clauses kept as they are: every quota, zone, k-anonymity, duty and declaration of every source.
  const kept = (c: Clause) => ['quota', 'exclusion-zones', 'k-anonymity', 'share-back', 'attribution', 'delete-on-expiry', 'usage-report', 'no-resale', 'no-reidentification'].includes(c.kind);
  for (const c of sources.filter(kept)) expect(merged.some((m) => same(m, c)), `${canonicalJson(c)} kept`).toBe(true);
  for (const m of merged.filter(kept)) expect(sources.some((c) => same(m, c)), `${canonicalJson(m)} comes from a source`).toBe(true);
  expect(ofKind(merged, 'eu-residency')).toHaveLength(ofKind(sources, 'eu-residency').length ? 1 : 0);

  // Fields: one treatment each, the strongest any source asks (personal fields at least pseudonymised).
  const personal = subject.licenseeIsOwner ? [] : subject.personalFields;
  const treated = fieldKinds.flatMap((kind) => ofKind(merged, kind).flatMap((c) => c.params.fields));
  expect(new Set(treated).size).toBe(treated.length);
  for (const field of new Set([...FIELDS, ...subject.personalFields])) {
    expect(strengthOf(merged, field), `treatment of ${field}`).toBe(Math.max(strengthOf(sources, field), personal.includes(field) ? 1 : 0));
  }

  // Coordinates: per position, the coarsest rounding asked.
  const rounding = ofKind(sources, 'generalise-coordinates');
  expect(ofKind(merged, 'generalise-coordinates')).toHaveLength(new Set(rounding.map((c) => canonicalJson(c.params.position))).size);
  for (const c of rounding) {
    const m = ofKind(merged, 'generalise-coordinates').find((g) => same(g.params.position, c.params.position));
    expect(m?.params.decimals).toBe(Math.min(...rounding.filter((r) => same(r.params.position, c.params.position)).map((r) => r.params.decimals)));
  }
}

const engine = new PolicyEngine();
type Context = { daysAfter: number; used: number; kind: string; purpose: string; region: string };
const contextArb: fc.Arbitrary<Context> = fc.record({
  daysAfter: fc.integer({ min: -10, max: 1200 }),
  used: fc.integer({ min: 0, max: 6 }),
  kind: fc.constantFrom(...PARTNER_KINDS),
  purpose: fc.constantFrom(...PURPOSES, 'advertising'),
  region: fc.constantFrom('eu-west-3', 'us-east-1'),
});
/** Access clauses as the engine reads them: permitted under the merged licence implies permitted under `clauses`. */
function permits(clauses: Clause[], c: Context): boolean {
  const activatedAt = new Date(BASE + 20 * DAY).toISOString();
  return (
    engine.evaluate(clauses, { purpose: c.purpose, region: c.region }, {
      now: new Date(Date.parse(activatedAt) + c.daysAfter * DAY).toISOString(),
      licensee: { id: 'x', kind: c.kind },
      activatedAt,
      quotaUsed: Object.fromEntries(clauses.map((_, i) => [i, c.used])),
    }).decision === 'permit'
  );
}

describe('merge properties against the territory rules', () => {
  it('holds every matching rule at least as strictly, refuses what a rule forbids naming it, and ignores the rules that do not match', () => {
    const seen = { runs: 0, ok: 0, forbidden: 0, noPurpose: 0, noKind: 0, noWindow: 0, matchedSome: 0, unmatchedSome: 0, approval: 0, noApproval: 0, notAfterFromRule: 0, notBeforeFromRule: 0, durationFromRule: 0 };
    fc.assert(
      fc.property(offerArb, policyArb, subjectArb, contextArb, (offer, policy, subject, context) => {
        seen.runs++;
        const matching = policy.rules.filter((r) => matches(r, subject));
        if (matching.length) seen.matchedSome++;
        if (matching.length < policy.rules.length) seen.unmatchedSome++;
        const result = mergeWithPolicy(offer, policy, subject);

        // Rules that do not match change nothing: the same answer as with the matching rules alone.
        expect(mergeWithPolicy(offer, { ...policy, rules: matching }, subject)).toEqual(result);

        const expected = expectedOutcome(offer, matching);
        if (!('ok' in expected)) {
          expect(result).toEqual({ ok: false, violation: { rule: expected.violation, message: expect.stringMatching(expected.message) } });
          if (/forbidden/.test(expected.message.source)) seen.forbidden++;
          else if (/purpose/.test(expected.message.source)) seen.noPurpose++;
          else if (/window/.test(expected.message.source)) seen.noWindow++;
          else seen.noKind++;
          return;
        }
        expect(result.ok).toBe(true);
        const merged = result as Extract<MergeResult, { ok: true }>;
        seen.ok++;
        expect(merged.appliedRules).toEqual(matching.map((r) => r.id));
        expect(merged.policyVersion).toBe(policy.version);
        expect(merged.requiresApproval).toBe(matching.some((r) => r.requireApproval === true));
        seen[merged.requiresApproval ? 'approval' : 'noApproval']++;

        const fromRules = matching.flatMap(requiredBy);
        expectStrictestOf(merged.clauses, [...offer, ...fromRules], subject);
        // Every matching rule on its own, and the offer on its own, is at most as strict as the licence.
        for (const source of [offer, ...matching.map(requiredBy)]) {
          for (const field of FIELDS) expect(strengthOf(merged.clauses, field)).toBeGreaterThanOrEqual(strengthOf(source, field));
          if (permits(merged.clauses, context)) expect(permits(source, context)).toBe(true);
        }
        // Maximum durations of the matching rules hold.
        for (const rule of matching.filter((r) => r.maxDuration)) {
          const d = ofKind(merged.clauses, 'validity')[0]?.params.maxDuration;
          expect(d !== undefined && rank(d) <= rank(rule.maxDuration!)).toBe(true);
        }

        const v = ofKind(merged.clauses, 'validity')[0]?.params;
        const ruleWindows = ofKind(fromRules, 'validity').map((c) => c.params);
        if (v?.notAfter && ruleWindows.some((w) => w.notAfter && Date.parse(w.notAfter) === Date.parse(v.notAfter!))) seen.notAfterFromRule++;
        if (v?.notBefore && ruleWindows.some((w) => w.notBefore && Date.parse(w.notBefore) === Date.parse(v.notBefore!))) seen.notBeforeFromRule++;
        if (v?.maxDuration && matching.some((r) => r.maxDuration === v.maxDuration)) seen.durationFromRule++;
      }),
      { numRuns: 1000 },
    );

    // No input skipped, and every branch exercised often enough to mean something.
    expect(seen.runs).toBe(1000);
    expect(seen.ok + seen.forbidden + seen.noPurpose + seen.noKind + seen.noWindow).toBe(seen.runs);
    expect(seen.ok).toBeGreaterThan(seen.runs * 0.4);
    for (const branch of ['forbidden', 'noPurpose', 'noKind', 'noWindow', 'approval', 'noApproval', 'notAfterFromRule', 'notBeforeFromRule', 'durationFromRule', 'matchedSome', 'unmatchedSome'] as const) {
      expect(seen[branch], branch).toBeGreaterThan(8);
    }
  });
});

describe('validity windows under the territory rules', () => {
  const subject: PolicySubject = { theme: 'mobility', classification: 'shared', licenseeKind: 'private', personalFields: [], licenseeIsOwner: false };
  const policy = (...rules: Record<string, unknown>[]): TerritoryPolicy => ({ version: 1, rules: rules.map((r) => PolicyRuleSchema.parse(r)) });
  const offer: Clause[] = [{ kind: 'validity', params: { notBefore: '2026-03-01T00:00:00.000Z', notAfter: '2026-12-31T00:00:00.000Z' } }];

  it('keeps the intersection of the offer window and the rule windows, instants compared as instants', () => {
    const p = policy(
      { id: 'season', require: [{ kind: 'validity', params: { notBefore: '2026-04-01T02:00:00+02:00', notAfter: '2027-06-30T00:00:00.000Z' } }] },
      { id: 'budget-year', require: [{ kind: 'validity', params: { notAfter: '2026-10-01T00:00:00-05:00' } }], maxDuration: 'P1Y' },
    );
    expect(mergeWithPolicy(offer, p, subject)).toMatchObject({
      ok: true,
      clauses: [{ kind: 'validity', params: { maxDuration: 'P1Y', notBefore: '2026-04-01T02:00:00+02:00', notAfter: '2026-10-01T00:00:00-05:00' } }],
    });
  });

  it('refuses a rule that leaves no validity window, naming the rule', () => {
    const p = policy({ id: 'closed-2026', require: [{ kind: 'validity', params: { notAfter: '2026-03-01T00:00:00.000Z' } }] });
    expect(mergeWithPolicy(offer, p, subject)).toEqual({ ok: false, violation: { rule: 'closed-2026', message: expect.stringContaining('no validity window') } });
  });
});
