import { ClauseSchema, type Clause } from '../../../contracts/clauses/clause.ts';
import { PolicyRuleSchema, type PolicyRule } from '../../../contracts/policy/policy.ts';
import { InvalidRequestError } from '../errors.ts';

type Issue = { in: string; path: string[]; code: string; message: string };

const issuesOf = (error: { issues: { path: PropertyKey[]; code: string; message: string }[] }, prefix: string[]): Issue[] =>
  error.issues.map((i) => ({ in: 'body', path: [...prefix, ...i.path.map(String)], code: i.code, message: i.message }));

/** Checks API clauses against the catalogue; every problem is reported at once as a 400. */
export function parseClauses(bodies: readonly unknown[], where: string[]): Clause[] {
  const issues: Issue[] = [];
  const clauses = bodies.flatMap((body, i) => {
    const parsed = ClauseSchema.safeParse(body);
    if (parsed.success) return [parsed.data];
    issues.push(...issuesOf(parsed.error, [...where, String(i)]));
    return [];
  });
  if (issues.length) throw new InvalidRequestError(`invalid clauses: ${issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, { details: issues });
  return clauses;
}

/** Checks territory rules against the catalogue, as a 400 naming each bad rule. */
export function parseRules(bodies: readonly unknown[]): PolicyRule[] {
  const issues: Issue[] = [];
  const rules = bodies.flatMap((body, i) => {
    const parsed = PolicyRuleSchema.safeParse(body);
    if (parsed.success) return [parsed.data];
    issues.push(...issuesOf(parsed.error, ['rules', String(i)]));
    return [];
  });
  if (issues.length) throw new InvalidRequestError(`invalid rules: ${issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, { details: issues });
  const ids = rules.map((r) => r.id);
  if (new Set(ids).size !== ids.length) throw new InvalidRequestError('rule ids must be unique');
  return rules;
}
