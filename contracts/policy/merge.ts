import { addDuration } from '../calendar.ts';
import type { Clause, ClauseKind, ClauseOf, PositionRef } from '../clauses/clause.ts';
import { CLAUSE_KIND_LIST as CLAUSE_KINDS, MODE_OF } from '../clauses/kinds.ts';
import { canonicalJson } from '../digest.ts';
import { ruleMatches, type PolicySubject, type TerritoryPolicy } from './policy.ts';

export interface PolicyViolation {
  readonly rule: string;
  readonly message: string;
}

export type MergeResult =
  | { readonly ok: true; readonly clauses: Clause[]; readonly appliedRules: string[]; readonly requiresApproval: boolean; readonly policyVersion: number }
  | { readonly ok: false; readonly violation: PolicyViolation };

/** A fixed instant to compare durations by length (P1M vs P30D) the same way every time. */
const REFERENCE = '2001-01-01T00:00:00.000Z';
const lengthOf = (duration: string) => Date.parse(addDuration(REFERENCE, duration));
const FIELD_KINDS = ['drop-fields', 'redact-fields', 'pseudonymise-fields'] as const;
const unique = <T>(items: readonly T[]) => [...new Map(items.map((i) => [canonicalJson(i), i])).values()];
const of = <K extends ClauseKind>(clauses: readonly Clause[], kind: K) => clauses.filter((c): c is ClauseOf<K> => c.kind === kind);
const positionKey = (p: PositionRef) => canonicalJson(p);

/**
 * The effective clauses of a licence: the offer's clauses merged with every matching territory rule,
 * strictest wins — purposes and partner kinds intersect, every quota is kept, the shortest validity
 * holds, transforms and duties are unioned (drop > redact > pseudonymise on a field), and personal
 * fields are at least pseudonymised unless the licensee owns the data. A rule that forbids a clause
 * the offer carries, or leaves no purpose, partner kind or validity window, is a violation naming that rule.
 */
export function mergeWithPolicy(offer: readonly Clause[], policy: TerritoryPolicy, subject: PolicySubject): MergeResult {
  const rules = policy.rules.filter((r) => ruleMatches(r, subject));
  const required = rules.flatMap((r) => [...r.require, ...(r.maxDuration ? [{ kind: 'validity', params: { maxDuration: r.maxDuration } } as Clause] : [])]);
  // A forbidden kind is refused whether the offer or another rule brings it.
  for (const rule of rules) {
    const forbidden = [...offer, ...required].find((c) => rule.forbid?.includes(c.kind));
    if (forbidden) return violation(rule.id, `clause ${forbidden.kind} is forbidden by the territory policy`);
  }

  let purposes = of(offer, 'purpose').reduce<string[] | undefined>((acc, c) => intersect(acc, c.params.allowed), undefined);
  for (const rule of rules) {
    for (const c of of(rule.require, 'purpose')) {
      purposes = intersect(purposes, c.params.allowed);
      if (purposes.length === 0) return violation(rule.id, `no purpose of the offer is allowed (allowed: ${c.params.allowed.join(', ')})`);
    }
  }
  let kinds = of(offer, 'partner-kinds').reduce<string[] | undefined>((acc, c) => intersect(acc, c.params.kinds), undefined);
  for (const rule of rules) {
    for (const c of of(rule.require, 'partner-kinds')) {
      kinds = intersect(kinds, c.params.kinds);
      if (kinds.length === 0) return violation(rule.id, `no partner kind of the offer is eligible (eligible: ${c.params.kinds.join(', ')})`);
    }
  }

  // A window closed by the rules would make a licence that no access can ever use.
  const windows = of(offer, 'validity').map((c) => c.params);
  for (const rule of rules) {
    for (const c of of(rule.require, 'validity')) {
      windows.push(c.params);
      const from = Math.max(...windows.map((w) => (w.notBefore ? Date.parse(w.notBefore) : -Infinity)));
      const until = Math.min(...windows.map((w) => (w.notAfter ? Date.parse(w.notAfter) : Infinity)));
      if (from >= until) return violation(rule.id, `no validity window is left (not before ${new Date(from).toISOString()}, not after ${new Date(until).toISOString()})`);
    }
  }

  const all = [...offer, ...required];
  const merged: Clause[] = [
    ...(purposes ? [{ kind: 'purpose', params: { allowed: purposes } } as Clause] : []),
    ...mergeValidity(of(all, 'validity')),
    ...unique(of(all, 'quota')),
    ...(kinds ? [{ kind: 'partner-kinds', params: { kinds } } as Clause] : []),
    ...(of(all, 'eu-residency').length ? [{ kind: 'eu-residency', params: {} } as Clause] : []),
    ...unique(of(all, 'exclusion-zones')),
    ...unique(of(all, 'k-anonymity')),
    ...mergeFieldTransforms(all, subject),
    ...mergeGeneralisation(of(all, 'generalise-coordinates')),
    ...unique(all.filter((c) => MODE_OF[c.kind] === 'obligation' || MODE_OF[c.kind] === 'declaration')),
  ];
  const order = (c: Clause) => CLAUSE_KINDS.indexOf(c.kind);
  return {
    ok: true,
    clauses: merged.sort((a, b) => order(a) - order(b)),
    appliedRules: rules.map((r) => r.id),
    requiresApproval: rules.some((r) => r.requireApproval),
    policyVersion: policy.version,
  };
}

function violation(rule: string, message: string): MergeResult {
  return { ok: false, violation: { rule, message } };
}

function intersect(current: string[] | undefined, next: readonly string[]): string[] {
  return current === undefined ? [...new Set(next)] : current.filter((x) => next.includes(x));
}

function mergeValidity(clauses: ClauseOf<'validity'>[]): Clause[] {
  if (clauses.length === 0) return [];
  const durations = clauses.map((c) => c.params.maxDuration).filter((d): d is string => !!d);
  const notBefores = clauses.map((c) => c.params.notBefore).filter((d): d is string => !!d);
  const notAfters = clauses.map((c) => c.params.notAfter).filter((d): d is string => !!d);
  const maxDuration = durations.sort((a, b) => lengthOf(a) - lengthOf(b))[0];
  const notBefore = notBefores.sort((a, b) => Date.parse(b) - Date.parse(a))[0];
  const notAfter = notAfters.sort((a, b) => Date.parse(a) - Date.parse(b))[0];
  return [{ kind: 'validity', params: { ...(maxDuration ? { maxDuration } : {}), ...(notBefore ? { notBefore } : {}), ...(notAfter ? { notAfter } : {}) } }];
}

/** Each field ends under its strongest treatment only; personal fields get at least a pseudonym. */
function mergeFieldTransforms(all: readonly Clause[], subject: PolicySubject): Clause[] {
  const taken = new Set<string>();
  const result: Clause[] = [];
  for (const kind of FIELD_KINDS) {
    const fields = new Set(all.filter((c) => c.kind === kind).flatMap((c) => (c as ClauseOf<typeof kind>).params.fields));
    if (kind === 'pseudonymise-fields' && !subject.licenseeIsOwner) for (const f of subject.personalFields) fields.add(f);
    const kept = [...fields].filter((f) => !taken.has(f)).sort();
    kept.forEach((f) => taken.add(f));
    if (kept.length) result.push({ kind, params: { fields: kept } } as Clause);
  }
  return result;
}

/** One rounding per position: the coarsest (fewest decimals) wins. */
function mergeGeneralisation(clauses: ClauseOf<'generalise-coordinates'>[]): Clause[] {
  const byPosition = new Map<string, ClauseOf<'generalise-coordinates'>>();
  for (const c of clauses) {
    const key = positionKey(c.params.position);
    const current = byPosition.get(key);
    if (!current || c.params.decimals < current.params.decimals) byPosition.set(key, c);
  }
  return [...byPosition.values()];
}
