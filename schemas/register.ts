import * as z from 'zod';
import { CursorSchema, InstantSchema, pageOf } from './common.ts';
import { ComplianceStatusSchema, PlainDateSchema } from './contract.ts';
import { ClassificationSchema, ThemeSchema } from './dataset.ts';
import { PartnerPublicProfileSchema } from './partner.ts';

const Sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/);

/** Where a licence of the register stands: in force, or how it ended. */
export const RegisterStateSchema = z.enum(['active', 'suspended', 'expired', 'terminated', 'revoked']);
export type RegisterState = z.infer<typeof RegisterStateSchema>;

/** `GET /open/register`: filters combine (all must hold); `from`/`until` keep the licences in force at some point of that period. */
export const RegisterQuerySchema = z
  .object({
    datasetId: z.string().min(1).max(64).optional(),
    licenseeId: z.string().min(1).max(64).optional(),
    theme: ThemeSchema.optional(),
    state: RegisterStateSchema.optional(),
    from: z.iso.date().optional().meta({ description: 'In force on or after this day (YYYY-MM-DD)' }),
    until: z.iso.date().optional().meta({ description: 'In force on or before this day (YYYY-MM-DD)' }),
    cursor: CursorSchema.optional(),
    limit: z.coerce.number().int().min(1).max(100).optional(),
  })
  .strict()
  .refine((q) => !q.from || !q.until || q.from <= q.until, { message: 'from must not be after until', path: ['until'] });
export type RegisterQuery = z.infer<typeof RegisterQuerySchema>;

/** One audit event that proves an entry: its place in the chain and its hashes, never its body. */
export const RegisterProofSchema = z
  .object({ seq: z.number().int().positive(), action: z.string(), bodyHash: Sha256HexSchema, hash: Sha256HexSchema })
  .meta({ id: 'RegisterProof' });

/** What the licensee gives: nothing, credits, or its own data (a barter). */
export const RegisterConsiderationSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('free') }),
    z.object({ kind: z.literal('credits'), credits: z.number().int().positive() }),
    z.object({
      kind: z.literal('barter'),
      counterpartLicenceId: z.string().optional().meta({ description: 'The licence given in return (its own register entry)' }),
      credits: z.number().int().positive().optional().meta({ description: 'Balancing credits paid at acceptance' }),
    }),
  ])
  .meta({ id: 'RegisterConsideration' });

/** Why an entry's dataset title and purpose are not shown, decided by two officers. */
export const RegisterMaskingSchema = z.object({ reason: z.string(), since: InstantSchema }).meta({ id: 'RegisterMasking' });

/** One licence on shared or restricted data that is or was in force. Organisations only: no person, no e-mail, no key. */
export const RegisterEntrySchema = z
  .object({
    licenceId: z.string(),
    dataset: z.object({
      id: z.string(),
      title: z.string().optional().meta({ description: 'Left out while the entry is masked' }),
      theme: ThemeSchema.optional(),
      classification: ClassificationSchema.optional(),
      publisher: PartnerPublicProfileSchema,
    }),
    licensee: PartnerPublicProfileSchema,
    purpose: z.string().optional().meta({ description: 'Left out while the entry is masked' }),
    state: RegisterStateSchema,
    period: z.object({ from: InstantSchema, until: InstantSchema.optional().meta({ description: 'Planned end (validity) or actual end' }) }),
    clauses: z.array(z.string()).meta({ description: 'The effective clauses in plain French, as the licence states them (the purpose clause left out while masked)' }),
    consideration: RegisterConsiderationSchema,
    approval: z.object({ required: z.boolean(), approvedAt: InstantSchema.optional() }),
    end: z.object({ state: z.enum(['expired', 'terminated', 'revoked']), at: InstantSchema, reason: z.string().optional().meta({ description: 'The public reason of a revocation' }) }).optional(),
    masked: RegisterMaskingSchema.optional(),
    proofs: z.array(RegisterProofSchema).meta({ description: 'Audit events about this licence, verifiable against the chain (`GET /v1/audit/verify`)' }),
  })
  .meta({ id: 'RegisterEntry' });
export type RegisterEntry = z.infer<typeof RegisterEntrySchema>;

/** A DSP contract's delivery obligations and their compliance: what an operator owes the collectivity (CCP L3131-2). */
export const RegisterContractSchema = z
  .object({
    contractId: z.string(),
    operator: PartnerPublicProfileSchema,
    service: z.string(),
    startsOn: PlainDateSchema,
    endsOn: PlainDateSchema,
    obligations: z.array(z.object({ obligationId: z.string(), title: z.string(), every: z.string(), status: ComplianceStatusSchema, nextDue: InstantSchema.optional() })),
  })
  .meta({ id: 'RegisterContract' });
export type RegisterContract = z.infer<typeof RegisterContractSchema>;

/** A category of data the territory keeps out of the register, and the law that allows it. */
export const RegisterOptOutSchema = z
  .object({ theme: ThemeSchema, legalBasis: z.string().trim().min(10).max(500).meta({ description: 'The legal text that protects this category' }) })
  .strict()
  .meta({ id: 'RegisterOptOut' });
export type RegisterOptOut = z.infer<typeof RegisterOptOutSchema>;

/** One page of the register; the contracts and the opted-out categories come with every page. */
export const RegisterSchema = pageOf(RegisterEntrySchema)
  .extend({ contracts: z.array(RegisterContractSchema), optOuts: z.array(RegisterOptOutSchema) })
  .meta({ id: 'Register' });
export type Register = z.infer<typeof RegisterSchema>;

/** Body of a masking request: hide (or show again) an entry's dataset title and purpose, with the public reason. */
export const MaskRequestSchema = z
  .object({ action: z.enum(['mask', 'unmask']), reason: z.string().trim().min(3).max(300).meta({ description: 'Shown on the register (e.g. « sécurité des réseaux »)' }) })
  .strict()
  .meta({ id: 'MaskRequest' });
export type MaskRequest = z.infer<typeof MaskRequestSchema>;

/** The masking of one entry: in force or not, and the decision waiting for a second officer. */
export const RegisterMaskSchema = z
  .object({
    licenceId: z.string(),
    masked: z.boolean(),
    reason: z.string().optional().meta({ description: 'The public reason of the masking in force' }),
    since: InstantSchema.optional(),
    pending: z
      .object({ action: z.enum(['mask', 'unmask']), reason: z.string(), requestedBy: z.string().meta({ description: 'The officer key that asked' }), requestedAt: InstantSchema })
      .optional()
      .meta({ description: 'Waits for an officer key other than the one that asked (four eyes)' }),
  })
  .meta({ id: 'RegisterMask' });
export type RegisterMask = z.infer<typeof RegisterMaskSchema>;

export const RegisterPathSchema = z.object({ id: z.string().min(1).max(64) });
