import * as z from 'zod';
import { InstantSchema, pageOf, CursorSchema } from './common.ts';
import { PartnerPublicProfileSchema } from './partner.ts';

const Purpose = z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'purposes are lower-case slugs');

/** Body of `POST /v1/barters`: access to the counterpart's offer against access to one's own (and credits). */
export const CreateBarterRequestSchema = z
  .object({
    offerId: z.string().min(1).max(64).meta({ description: "The counterpart's offer the proposer wants" }),
    give: z.object({ offerId: z.string().min(1).max(64).meta({ description: "The proposer's own offer given in exchange" }), credits: z.number().int().min(1).max(1_000_000_000).optional() }).strict(),
    purpose: Purpose.meta({ description: "The proposer's purpose for the counterpart's data" }),
  })
  .strict()
  .meta({ id: 'CreateBarterRequest' });
export type CreateBarterRequest = z.infer<typeof CreateBarterRequestSchema>;

export const BarterStateSchema = z.enum(['pending_approval', 'proposed', 'accepted', 'declined', 'rejected']);
export type BarterState = z.infer<typeof BarterStateSchema>;

export const BarterSideSchema = z.object({
  offerId: z.string(),
  datasetId: z.string(),
  licensor: PartnerPublicProfileSchema,
  licensee: PartnerPublicProfileSchema,
  requiresApproval: z.boolean(),
  approved: z.boolean(),
  approvedBy: z.string().optional().meta({ description: 'The officer key that approved this side' }),
  licenceId: z.string().optional(),
});

export const BarterSchema = z
  .object({
    id: z.string(),
    state: BarterStateSchema,
    proposer: PartnerPublicProfileSchema,
    counterparty: PartnerPublicProfileSchema,
    want: BarterSideSchema.meta({ description: "The counterpart's data, licensed to the proposer" }),
    give: BarterSideSchema.meta({ description: "The proposer's data, licensed to the counterpart" }),
    credits: z.number().int().optional().meta({ description: 'Balancing credits paid by the proposer at acceptance' }),
    proposerPurpose: z.string(),
    counterpartyPurpose: z.string().optional(),
    history: z.array(z.object({ state: BarterStateSchema, at: InstantSchema, by: z.string(), reason: z.string().optional() })),
    createdAt: InstantSchema,
  })
  .meta({ id: 'Barter' });
export type Barter = z.infer<typeof BarterSchema>;

export const BarterListSchema = pageOf(BarterSchema).meta({ id: 'BarterList' });
export const BarterQuerySchema = z.object({ cursor: CursorSchema.optional(), limit: z.coerce.number().int().min(1).max(100).optional() }).strict();
export const AcceptBarterRequestSchema = z.object({ purpose: Purpose }).strict().meta({ id: 'AcceptBarterRequest' });
export const ApproveBarterRequestSchema = z.object({ side: z.enum(['want', 'give']), reason: z.string().trim().min(3).max(1000).optional() }).strict().meta({ id: 'ApproveBarterRequest' });
