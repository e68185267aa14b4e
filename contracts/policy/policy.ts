import * as z from 'zod';
import { isIsoDuration } from '../calendar.ts';
import { CLAUSE_KINDS, ClauseSchema, PARTNER_KINDS } from '../clauses/clause.ts';

const oneOrMany = <T extends z.ZodType>(item: T) => z.union([item, z.array(item).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]) as z.output<T>[]);

/** One territory rule: when it matches a licence, its clauses join it and its limits apply. */
export const PolicyRuleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'rule ids are lower-case slugs'),
    description: z.string().max(500).optional(),
    when: z
      .object({
        theme: oneOrMany(z.string().min(1).max(40)).optional(),
        classification: oneOrMany(z.enum(['open', 'shared', 'restricted'])).optional(),
        licenseeKinds: z.array(z.enum(PARTNER_KINDS)).min(1).optional(),
        personalFields: z.boolean().optional().meta({ description: 'true: only datasets with personal fields; false: only without' }),
      })
      .strict()
      .default({}),
    require: z.array(ClauseSchema).max(50).default([]),
    forbid: z.array(z.enum(CLAUSE_KINDS as [string, ...string[]])).optional(),
    maxDuration: z.string().refine(isIsoDuration, 'expected an ISO-8601 duration such as P3Y').optional(),
    requireApproval: z.boolean().optional().meta({ description: "Licences under this rule wait for an officer's approval" }),
  })
  .strict();
export type PolicyRule = z.output<typeof PolicyRuleSchema>;

/** The territory's public policy, versioned: licences record the version they were merged with. */
export const TerritoryPolicyRulesSchema = z
  .object({ rules: z.array(PolicyRuleSchema).max(200) })
  .strict()
  .refine((p) => new Set(p.rules.map((r) => r.id)).size === p.rules.length, { message: 'rule ids must be unique', path: ['rules'] });

export interface TerritoryPolicy {
  readonly version: number;
  readonly rules: readonly PolicyRule[];
}

/** What a rule is matched against. */
export interface PolicySubject {
  readonly theme: string;
  readonly classification: string;
  /** Unknown while checking an offer for one audience kind at a time. */
  readonly licenseeKind: string;
  readonly personalFields: readonly string[];
  readonly licenseeIsOwner: boolean;
}

/** True when every condition the rule states holds for the subject. */
export function ruleMatches(rule: PolicyRule, s: PolicySubject): boolean {
  const w = rule.when;
  return (
    (!w.theme || w.theme.includes(s.theme)) &&
    (!w.classification || (w.classification as string[]).includes(s.classification)) &&
    (!w.licenseeKinds || (w.licenseeKinds as string[]).includes(s.licenseeKind)) &&
    (w.personalFields === undefined || w.personalFields === s.personalFields.length > 0)
  );
}
