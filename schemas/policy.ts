import * as z from 'zod';
import { InstantSchema } from './common.ts';
import { ClauseBodySchema } from './licence.ts';
import { RegisterOptOutSchema } from './register.ts';

const RegisterOptOutsSchema = z
  .array(RegisterOptOutSchema)
  .max(12)
  .refine((o) => new Set(o.map((x) => x.theme)).size === o.length, 'one opt-out per theme')
  .meta({ description: 'Whole categories (themes) the law protects, left out of the public register of data sharing, each with its legal basis' });

/** A territory rule as the API carries it; checked against the clause catalogue by the policy service. */
export const PolicyRuleBodySchema = z
  .object({
    id: z.string().min(1).max(63),
    description: z.string().max(500).optional(),
    when: z
      .object({
        theme: z.union([z.string(), z.array(z.string())]).optional(),
        classification: z.union([z.string(), z.array(z.string())]).optional(),
        licenseeKinds: z.array(z.string()).optional(),
        personalFields: z.boolean().optional(),
      })
      .strict()
      .default({}),
    require: z.array(ClauseBodySchema).max(50).default([]),
    forbid: z.array(z.string()).optional(),
    maxDuration: z.string().optional(),
    requireApproval: z.boolean().optional(),
  })
  .strict()
  .meta({ id: 'PolicyRule' });

export const PutPolicyRequestSchema = z.object({ rules: z.array(PolicyRuleBodySchema).max(200), registerOptOuts: RegisterOptOutsSchema.optional() }).strict().meta({ id: 'PutPolicyRequest' });
export type PutPolicyRequest = z.infer<typeof PutPolicyRequestSchema>;

export const PolicySchema = z
  .object({ version: z.number().int().min(0), rules: z.array(PolicyRuleBodySchema), registerOptOuts: z.array(RegisterOptOutSchema).optional(), updatedAt: InstantSchema.optional(), updatedBy: z.string().optional() })
  .meta({ id: 'TerritoryPolicy' });
export type Policy = z.infer<typeof PolicySchema>;

const Position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
/** First and last positions equal; refinements also run on rings too short or malformed, so nothing is assumed. */
const isClosed = (r: unknown[]) => {
  const [first, last] = [r[0], r.at(-1)];
  return Array.isArray(first) && Array.isArray(last) && first[0] === last[0] && first[1] === last[1];
};
const Ring = z.array(Position).min(4).refine(isClosed, 'a linear ring must be closed');
const PolygonGeometry = z.object({ type: z.literal('Polygon'), coordinates: z.array(Ring).min(1) });
const MultiPolygonGeometry = z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(Ring).min(1)).min(1) });

/** A zone layer: a GeoJSON FeatureCollection of polygons (school zones, pedestrian areas…). */
export const ZoneLayerSchema = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z
      .array(z.object({ type: z.literal('Feature'), geometry: z.union([PolygonGeometry, MultiPolygonGeometry]), properties: z.record(z.string(), z.unknown()).nullable().optional() }))
      .min(1)
      .max(10_000),
  })
  .meta({ id: 'ZoneLayer' });
export type ZoneLayer = z.infer<typeof ZoneLayerSchema>;

export const ZonePathSchema = z.object({ name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'zone names are lower-case slugs') });
export const ZoneSummarySchema = z
  .object({ name: z.string(), features: z.number().int(), sha256: z.string(), updatedAt: InstantSchema })
  .meta({ id: 'ZoneSummary' });
export const ZoneListSchema = z.object({ items: z.array(ZoneSummarySchema) }).meta({ id: 'ZoneList' });
export const ZoneSchema = ZoneSummarySchema.extend({ layer: ZoneLayerSchema }).meta({ id: 'Zone' });

export const ClauseCatalogueSchema = z
  .object({
    items: z.array(z.object({ kind: z.string(), mode: z.enum(['access', 'transform', 'obligation', 'declaration']), title: z.object({ fr: z.string(), en: z.string() }), params: z.record(z.string(), z.unknown()) })),
  })
  .meta({ id: 'ClauseCatalogue' });
export const TemplateCatalogueSchema = z
  .object({
    items: z.array(
      z.object({ id: z.string(), title: z.object({ fr: z.string(), en: z.string() }), text: z.object({ fr: z.string(), en: z.string() }), openData: z.boolean(), uri: z.string().optional(), defaultClauses: z.array(ClauseBodySchema) }),
    ),
  })
  .meta({ id: 'TemplateCatalogue' });

/** How a draft policy would treat one open offer for one audience kind, compared with the current policy. */
export const PolicyPreviewItemSchema = z.object({
  offerId: z.string(),
  datasetId: z.string(),
  datasetTitle: z.string(),
  licensor: z.string().meta({ description: 'Name of the offering partner' }),
  audience: z.string(),
  outcome: z.enum(['unchanged', 'changed', 'refused', 'allowed']).meta({ description: '`allowed`: refused under the current policy, accepted under the draft' }),
  violation: z.object({ rule: z.string(), message: z.string() }).optional().meta({ description: 'The draft rule the offer would contradict' }),
  added: z.array(ClauseBodySchema).meta({ description: 'Effective clauses the draft adds' }),
  removed: z.array(ClauseBodySchema).meta({ description: 'Effective clauses the draft removes or replaces' }),
  appliedRules: z.array(z.string()).meta({ description: 'Draft rules that would apply' }),
  requiresApproval: z.object({ before: z.boolean().optional(), after: z.boolean() }).optional().meta({ description: 'Whether requests need an officer, now and under the draft' }),
});
export const PolicyPreviewSchema = z
  .object({
    currentVersion: z.number().int().min(0),
    offers: z.number().int().min(0).meta({ description: 'Open offers examined' }),
    truncated: z.boolean().meta({ description: 'More open offers exist than were examined' }),
    items: z.array(PolicyPreviewItemSchema),
  })
  .meta({ id: 'PolicyPreview' });
export type PolicyPreview = z.infer<typeof PolicyPreviewSchema>;
