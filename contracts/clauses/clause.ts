import * as z from 'zod';
import { isIsoDuration } from '../calendar.ts';

import type { EnforcementMode } from './kinds.ts';

export { MODE_OF, CLAUSE_KIND_LIST, type EnforcementMode } from './kinds.ts';

// The formats tell forms built from the catalogue's JSON Schemas which inputs to offer (a field picker, a number and a unit).
const fieldName = z.string().min(1).meta({ format: 'field-name' });
const fieldList = z.array(fieldName.max(128)).min(1).max(200);
const duration = z.string().refine(isIsoDuration, 'expected a non-zero ISO-8601 duration such as P1M').meta({ format: 'duration' });
const instant = z.iso.datetime({ offset: true });
/** A position: a geopoint field, or a pair of number fields. */
export const PositionRefSchema = z.union([
  z.object({ geopoint: fieldName }).strict(),
  z.object({ lat: fieldName, lon: fieldName }).strict(),
]);
export type PositionRef = z.infer<typeof PositionRefSchema>;

export { PARTNER_KINDS } from './kinds.ts';
import { PARTNER_KINDS } from './kinds.ts';

/** Parameters of each clause kind; the kind names the schema. */
export const CLAUSE_PARAMS = {
  purpose: z.object({ allowed: z.array(z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'purposes are lower-case slugs')).min(1).max(50) }).strict(),
  validity: z
    .object({ maxDuration: duration.optional(), notBefore: instant.optional(), notAfter: instant.optional() })
    .strict()
    .refine((v) => v.maxDuration || v.notBefore || v.notAfter, 'give maxDuration, notBefore or notAfter'),
  quota: z.object({ count: z.number().int().min(1).max(1_000_000), per: duration }).strict(),
  'partner-kinds': z.object({ kinds: z.array(z.enum(PARTNER_KINDS)).min(1) }).strict(),
  'eu-residency': z.object({}).strict(),
  'exclusion-zones': z.object({ zone: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/).meta({ format: 'zone-name' }), position: PositionRefSchema }).strict(),
  'k-anonymity': z.object({ k: z.number().int().min(2).max(1000), quasiIdentifiers: fieldList }).strict(),
  'drop-fields': z.object({ fields: fieldList }).strict(),
  'redact-fields': z.object({ fields: fieldList }).strict(),
  'pseudonymise-fields': z.object({ fields: fieldList }).strict(),
  'generalise-coordinates': z.object({ decimals: z.number().int().min(0).max(6), position: PositionRefSchema }).strict(),
  'share-back': z.object({ theme: z.string().min(1).max(40), every: duration, graceDays: z.number().int().min(0).max(365) }).strict(),
  attribution: z.object({ text: z.string().min(1).max(500) }).strict(),
  'delete-on-expiry': z.object({ withinDays: z.number().int().min(0).max(365) }).strict(),
  'usage-report': z.object({ every: duration }).strict(),
  'no-resale': z.object({}).strict(),
  'no-reidentification': z.object({}).strict(),
} as const;

export type ClauseKind = keyof typeof CLAUSE_PARAMS;
export const CLAUSE_KINDS = Object.keys(CLAUSE_PARAMS) as ClauseKind[];
export type ClauseParams<K extends ClauseKind> = z.infer<(typeof CLAUSE_PARAMS)[K]>;

/** A clause: a kind and its parameters; clauses are data, evaluated by registered functions. */
export type Clause = { [K in ClauseKind]: { kind: K; params: ClauseParams<K> } }[ClauseKind];
export type ClauseOf<K extends ClauseKind> = Extract<Clause, { kind: K }>;

/** Validates a clause's parameters against its kind's schema. */
export const ClauseSchema = z.discriminatedUnion(
  'kind',
  CLAUSE_KINDS.map((kind) => z.object({ kind: z.literal(kind), params: CLAUSE_PARAMS[kind] }).strict()) as unknown as [
    z.ZodObject<{ kind: z.ZodLiteral<ClauseKind>; params: z.ZodType }>,
  ],
) as unknown as z.ZodType<Clause>;


export const isOfKind = <K extends ClauseKind>(kind: K) => (c: Clause): c is ClauseOf<K> => c.kind === kind;
