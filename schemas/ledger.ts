import * as z from 'zod';
import { CursorSchema, InstantSchema } from './common.ts';

/** Body of `POST /v1/ledger/grants`: credits issued by the territory to a partner. */
export const GrantRequestSchema = z
  .object({ partnerId: z.string().min(1).max(64), credits: z.number().int().min(1).max(1_000_000_000), memo: z.string().trim().min(1).max(500).optional() })
  .strict()
  .meta({ id: 'GrantRequest' });
export type GrantRequest = z.infer<typeof GrantRequestSchema>;

export const LedgerEntrySchema = z
  .object({
    movementId: z.string(),
    account: z.string(),
    amount: z.number().int().meta({ description: 'Positive: credited to the account; negative: debited' }),
    counterparty: z.string(),
    cause: z.object({ type: z.enum(['grant', 'purchase', 'escrow-release', 'refund', 'barter']), licenceId: z.string().optional(), barterId: z.string().optional() }),
    memo: z.string().optional(),
    at: InstantSchema,
  })
  .meta({ id: 'LedgerEntry' });
export type LedgerEntry = z.infer<typeof LedgerEntrySchema>;

export const LedgerSchema = z
  .object({ account: z.string(), balance: z.number().int(), items: z.array(LedgerEntrySchema), cursor: CursorSchema.optional() })
  .meta({ id: 'Ledger' });
export type Ledger = z.infer<typeof LedgerSchema>;

export const LedgerQuerySchema = z
  .object({
    partnerId: z.string().min(1).max(64).optional().meta({ description: "Officers: another partner's account" }),
    cursor: CursorSchema.optional(),
    limit: z.coerce.number().int().min(1).max(100).optional(),
  })
  .strict();

export const GrantResponseSchema = z
  .object({ movementId: z.string(), partnerId: z.string(), credits: z.number().int(), balance: z.number().int().optional() })
  .meta({ id: 'Grant' });
