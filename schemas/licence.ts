import * as z from 'zod';
import { CursorSchema, ErrorBodySchema, InstantSchema, pageOf } from './common.ts';
import { PartnerPublicProfileSchema } from './partner.ts';

/** A clause as the API carries it; parameters are checked against the clause catalogue (`GET /v1/clauses`). */
export const ClauseBodySchema = z
  .object({ kind: z.string().min(1).max(64), params: z.record(z.string(), z.unknown()).default({}) })
  .strict()
  .meta({ id: 'Clause' });
export type ClauseBody = z.infer<typeof ClauseBodySchema>;

const PartnerKindListSchema = z.array(z.enum(['collectivity', 'public', 'dsp', 'private'])).min(1);

/** Body of `POST /v1/offers`: a template, the clauses added to its defaults, who may ask, and how. */
export const CreateOfferRequestSchema = z
  .object({
    datasetId: z.string().min(1).max(64),
    template: z.string().min(1).max(64),
    clauses: z.array(ClauseBodySchema).max(50).default([]).meta({ description: "Clauses added to the template's defaults" }),
    price: z.object({ credits: z.number().int().min(1).max(1_000_000_000) }).strict().optional().meta({ description: 'Credits debited at signature, held in escrow 24 h' }),
    barter: z
      .object({ accepts: z.object({ themes: z.array(z.string().min(1)).min(1).optional(), datasetIds: z.array(z.string().min(1)).min(1).optional() }).strict() })
      .strict()
      .optional()
      .meta({ description: 'Only available in exchange for data of these themes or datasets (reciprocity)' }),
    approval: z.enum(['auto', 'officer']).default('auto'),
    audience: PartnerKindListSchema,
  })
  .strict()
  .meta({ id: 'CreateOfferRequest' });
export type CreateOfferRequest = z.infer<typeof CreateOfferRequestSchema>;

export const OfferSchema = z
  .object({
    id: z.string(),
    datasetId: z.string(),
    licensor: PartnerPublicProfileSchema,
    template: z.string(),
    clauses: z.array(ClauseBodySchema).meta({ description: 'Template defaults plus the added clauses, before the territory policy' }),
    price: z.object({ credits: z.number().int() }).optional(),
    barter: z.object({ accepts: z.object({ themes: z.array(z.string()).optional(), datasetIds: z.array(z.string()).optional() }) }).optional(),
    approval: z.enum(['auto', 'officer']),
    audience: z.array(z.string()),
    state: z.enum(['open', 'withdrawn']),
    digest: z.string().meta({ description: 'SHA-256 of the RFC 8785 canonical offer document: this object without `state`, `digest` and `signature`, its `id` named `offerId`' }),
    signature: z.record(z.string(), z.unknown()).meta({ description: "Platform-countersigned record of the owner's offer" }),
    policyVersion: z.number().int().min(0),
    createdAt: InstantSchema,
  })
  .meta({ id: 'Offer' });
export type Offer = z.infer<typeof OfferSchema>;

export const OfferQuerySchema = z
  .object({ datasetId: z.string().min(1).max(64).optional(), cursor: CursorSchema.optional(), limit: z.coerce.number().int().min(1).max(100).optional() })
  .strict();
export const OfferListSchema = pageOf(OfferSchema).meta({ id: 'OfferList' });

export const LicenceStateSchema = z.enum(['pending_approval', 'awaiting_signature', 'active', 'suspended', 'expired', 'revoked', 'rejected', 'terminated', 'declined']);
export type LicenceState = z.infer<typeof LicenceStateSchema>;

export const CreateLicenceRequestSchema = z
  .object({ offerId: z.string().min(1).max(64), purpose: z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'purposes are lower-case slugs') })
  .strict()
  .meta({ id: 'CreateLicenceRequest' });
export type CreateLicenceRequest = z.infer<typeof CreateLicenceRequestSchema>;

export const SignatureEnvelopeSchema = z
  .object({ alg: z.literal('Ed25519'), kid: z.string(), publicKey: z.string(), signature: z.string() })
  .meta({ id: 'SignatureEnvelope' });

/** The signed licence: canonical JSON (RFC 8785) whose SHA-256 is `digest`. */
export const LicenceDocumentSchema = z
  .object({
    licenceId: z.string(),
    offer: z.object({ id: z.string(), digest: z.string() }),
    licensor: PartnerPublicProfileSchema,
    licensee: PartnerPublicProfileSchema,
    dataset: z.object({ id: z.string(), title: z.string() }),
    template: z.object({ id: z.string(), title: z.string(), uri: z.string().optional() }),
    purpose: z.string(),
    clauses: z.array(ClauseBodySchema),
    texts: z.object({ fr: z.array(z.string()), en: z.array(z.string()) }),
    legalText: z.object({ fr: z.string(), en: z.string() }),
    policy: z.object({ version: z.number().int(), appliedRules: z.array(z.string()) }),
    validity: z.object({ from: InstantSchema, until: InstantSchema.optional() }),
    issuedAt: InstantSchema,
  })
  .meta({ id: 'LicenceDocument' });
export type LicenceDocument = z.infer<typeof LicenceDocumentSchema>;

export const LicenceSchema = z
  .object({
    id: z.string(),
    state: LicenceStateSchema,
    offerId: z.string(),
    datasetId: z.string(),
    licensor: PartnerPublicProfileSchema,
    licensee: PartnerPublicProfileSchema,
    purpose: z.string(),
    clauses: z.array(ClauseBodySchema).meta({ description: 'Effective clauses: the offer merged with the territory policy' }),
    texts: z.object({ fr: z.array(z.string()), en: z.array(z.string()) }),
    policy: z.object({ version: z.number().int(), appliedRules: z.array(z.string()), current: z.boolean().optional() }),
    requiresApproval: z.boolean(),
    approval: z.object({ by: z.string(), at: InstantSchema }).optional().meta({ description: 'The officer key that approved the request, and when' }),
    document: LicenceDocumentSchema.optional(),
    digest: z.string().optional(),
    signatures: z.object({ acceptance: SignatureEnvelopeSchema.extend({ acceptedBy: z.object({ partnerId: z.string(), keyId: z.string(), at: InstantSchema }) }), countersignature: SignatureEnvelopeSchema }).optional(),
    history: z.array(z.object({ state: LicenceStateSchema, at: InstantSchema, by: z.string(), reason: z.string().optional() })),
    activatedAt: InstantSchema.optional(),
    createdAt: InstantSchema,
  })
  .meta({ id: 'Licence' });
export type Licence = z.infer<typeof LicenceSchema>;

export const LicenceQuerySchema = z
  .object({ state: LicenceStateSchema.optional(), cursor: CursorSchema.optional(), limit: z.coerce.number().int().min(1).max(100).optional() })
  .strict();
export const LicenceListSchema = pageOf(LicenceSchema).meta({ id: 'LicenceList' });
export const ReasonRequestSchema = z.object({ reason: z.string().trim().min(3).max(1000) }).strict().meta({ id: 'ReasonRequest' });
export const OptionalReasonRequestSchema = z.object({ reason: z.string().trim().min(3).max(1000).optional() }).strict();

export const AccessRequestSchema = z
  .object({
    purpose: z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'purposes are lower-case slugs'),
    version: z.number().int().positive().optional().meta({ description: 'Default: the latest published version' }),
    region: z.string().regex(/^[a-z]{2}-[a-z]+-\d$/).optional().meta({ description: 'Delivery region, for eu-residency clauses (e.g. eu-west-3)' }),
  })
  .strict()
  .meta({ id: 'AccessRequest' });
export type AccessRequestBody = z.infer<typeof AccessRequestSchema>;

/** 200: the URL; 202: the enforced variant is being built; 403: denied with the clauses that deny. */
export const AccessDecisionSchema = z
  .object({
    decision: z.enum(['permit', 'deny']),
    accessId: z.string().optional(),
    url: z.string().optional().meta({ description: 'Presigned GET, valid at most 15 minutes' }),
    expiresAt: InstantSchema.optional(),
    status: z.enum(['ready', 'preparing', 'failed']).optional(),
    retryAfter: z.number().int().optional(),
    transforms: z.array(ClauseBodySchema).optional(),
    obligations: z.array(ClauseBodySchema).optional(),
    reasons: z.array(z.object({ clause: z.string(), message: z.string() })).optional(),
    version: z.number().int().optional(),
  })
  .meta({ id: 'AccessDecision' });
export type AccessDecision = z.infer<typeof AccessDecisionSchema>;

const DenyReasonSchema = z.object({ clause: z.string(), message: z.string() });
const permitted = {
  decision: z.literal('permit'),
  accessId: z.string().meta({ description: 'Poll `GET /v1/access/{accessId}` for a fresh URL while the access is recent' }),
  version: z.number().int(),
  transforms: z.array(ClauseBodySchema).meta({ description: 'The clauses applied to the bytes' }),
  obligations: z.array(ClauseBodySchema).meta({ description: 'What the licensee must do with them' }),
};

/** 200 of an access: the URL of the bytes, enforced clauses applied. */
export const AccessGrantedSchema = z
  .object({
    ...permitted,
    status: z.literal('ready'),
    url: z.string().meta({ description: 'Presigned GET, valid at most 15 minutes' }),
    expiresAt: InstantSchema,
  })
  .meta({ id: 'AccessGranted' });

/** 202 of an access: the enforced variant is being built; ask again after `retryAfter` seconds. */
export const AccessPreparingSchema = z
  .object({ ...permitted, status: z.literal('preparing'), retryAfter: z.number().int().positive() })
  .meta({ id: 'AccessPreparing' });

/** 403 of an access: the error shape, plus the clauses that deny when the licence's terms refuse (code `access_denied`). */
export const AccessDeniedSchema = ErrorBodySchema.extend({
  decision: z.literal('deny').optional(),
  reasons: z.array(DenyReasonSchema).optional(),
}).meta({ id: 'AccessDenied' });

export const DutySchema = z
  .object({
    dutyId: z.string(),
    licenceId: z.string(),
    kind: z.enum(['share-back', 'attribution', 'delete-on-expiry', 'usage-report']),
    status: z.enum(['open', 'fulfilled', 'overdue', 'ongoing']),
    dueAt: InstantSchema.optional(),
    period: z.object({ index: z.number().int(), start: InstantSchema, end: InstantSchema }).optional(),
    params: z.record(z.string(), z.unknown()),
    fulfilledAt: InstantSchema.optional(),
    evidence: z.record(z.string(), z.unknown()).optional(),
    createdAt: InstantSchema,
  })
  .meta({ id: 'Duty' });
export type Duty = z.infer<typeof DutySchema>;
export const DutyListSchema = z.object({ items: z.array(DutySchema) }).meta({ id: 'DutyList' });
export const DutyPathSchema = z.object({ id: z.string().min(1).max(64), dutyId: z.string().min(1).max(64) });
export const AttestRequestSchema = z.object({ statement: z.string().trim().min(3).max(2000) }).strict().meta({ id: 'AttestRequest' });
