import * as z from 'zod';
import { CursorSchema, InstantSchema, pageOf } from './common.ts';
import { ClassificationSchema, UpdateDatasetRequestSchema } from './dataset.ts';
import { RoleSchema } from './key.ts';

const downgradeText = { description: z.string().meta({ description: 'What becomes less private, in words' }) };

/** One way a dataset edit makes data less private; each needs an officer's approval. */
export const PrivacyDowngradeSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('personal_flag_removed'), field: z.string(), ...downgradeText }),
    z.object({ kind: z.literal('personal_field_removed'), field: z.string(), ...downgradeText }),
    z.object({ kind: z.literal('classification_opened'), from: ClassificationSchema, to: ClassificationSchema, ...downgradeText }),
    z.object({ kind: z.literal('restriction_lifted'), from: ClassificationSchema, to: ClassificationSchema, ...downgradeText }),
  ])
  .meta({ id: 'PrivacyDowngrade' });
export type PrivacyDowngrade = z.infer<typeof PrivacyDowngradeSchema>;

/** `stale`: the dataset changed after the request, so the decision would no longer be about what was asked. */
export const DatasetChangeStateSchema = z.enum(['pending', 'approved', 'rejected', 'withdrawn', 'stale']);
export type DatasetChangeState = z.infer<typeof DatasetChangeStateSchema>;

/** The key that acted on a change request, and its partner. */
export const ChangeActorSchema = z.object({ partnerId: z.string(), keyId: z.string(), role: RoleSchema });
export type ChangeActor = z.infer<typeof ChangeActorSchema>;

/** A dataset edit that lowers privacy, held until an officer other than the requesting key decides. */
export const DatasetChangeSchema = z
  .object({
    id: z.string(),
    datasetId: z.string(),
    datasetTitle: z.string().meta({ description: 'Title of the dataset when the change was requested' }),
    patch: UpdateDatasetRequestSchema.meta({ description: 'The whole requested edit, applied as one on approval' }),
    downgrades: z.array(PrivacyDowngradeSchema).min(1),
    state: DatasetChangeStateSchema,
    requestedBy: ChangeActorSchema,
    requestedAt: InstantSchema,
    baseUpdatedAt: InstantSchema.meta({ description: "The dataset's updatedAt the request was made against; approval requires it unchanged" }),
    decidedBy: ChangeActorSchema.optional(),
    decidedAt: InstantSchema.optional(),
    reason: z.string().optional().meta({ description: "The officer's reason (required to reject)" }),
  })
  .meta({ id: 'DatasetChange' });
export type DatasetChange = z.infer<typeof DatasetChangeSchema>;

export const DatasetChangeListSchema = pageOf(DatasetChangeSchema).meta({ id: 'DatasetChangeList' });
export type DatasetChangeList = z.infer<typeof DatasetChangeListSchema>;

/** `?state=pending` is the officers' inbox; partners see the requests they made. */
export const DatasetChangeQuerySchema = z
  .object({ state: DatasetChangeStateSchema.optional(), cursor: CursorSchema.optional(), limit: z.coerce.number().int().min(1).max(100).optional() })
  .strict();
export type DatasetChangeQuery = z.infer<typeof DatasetChangeQuerySchema>;

export const DatasetChangePathSchema = z.object({ id: z.string().min(1).max(64) });
