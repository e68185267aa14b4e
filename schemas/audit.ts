import * as z from 'zod';
import { CursorSchema, InstantSchema } from './common.ts';

const Sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/);

/** Who caused an event: an API key's holder, or the platform itself (schedule, ingest). */
export const ActorSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('key'), keyId: z.string(), partnerId: z.string(), role: z.string() }),
  z.object({ type: z.literal('system'), name: z.string() }),
]);
export type Actor = z.infer<typeof ActorSchema>;

/** The hashed body of an audit event (RFC 8785 canonical JSON of exactly these fields). */
export const AuditEventBodySchema = z
  .object({
    id: z.string(),
    at: InstantSchema,
    actor: ActorSchema,
    action: z.string().meta({ description: 'Dotted verb, e.g. `partner.created`' }),
    subject: z.string().meta({ description: 'Id of the record the event is about' }),
    parties: z.array(z.string()).meta({ description: 'Partner ids allowed to read the body' }),
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'AuditEventBody' });
export type AuditEventBody = z.infer<typeof AuditEventBodySchema>;

/** One link of the chain: `hash = SHA-256(JCS({seq, prevHash, bodyHash}))`; `body` only for its parties. */
export const AuditEntrySchema = z
  .object({
    seq: z.number().int().positive(),
    prevHash: Sha256HexSchema,
    bodyHash: Sha256HexSchema,
    hash: Sha256HexSchema,
    body: AuditEventBodySchema.optional(),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const AuditQuerySchema = z
  .object({
    subject: z.string().min(1).max(128).optional(),
    after: z.coerce.number().int().min(0).optional().meta({ description: 'Return entries with seq greater than this' }),
    cursor: CursorSchema.optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
  })
  .strict();
export type AuditQuery = z.infer<typeof AuditQuerySchema>;

export const AuditListSchema = z
  .object({ items: z.array(AuditEntrySchema), cursor: CursorSchema.optional() })
  .meta({ id: 'AuditList' });
export type AuditList = z.infer<typeof AuditListSchema>;

export const ChainHeadSchema = z.object({ seq: z.number().int().min(0), hash: Sha256HexSchema }).meta({ id: 'ChainHead' });
export type ChainHead = z.infer<typeof ChainHeadSchema>;

export const AuditVerifyQuerySchema = z
  .object({
    cursor: CursorSchema.optional(),
    limit: z.coerce.number().int().min(1).max(10000).optional(),
  })
  .strict();
export type AuditVerifyQuery = z.infer<typeof AuditVerifyQuerySchema>;

/** Result of recomputing the chain; `cursor` continues a long chain where this page stopped. */
export const AuditVerifySchema = z
  .object({
    valid: z.boolean(),
    events: z.number().int().min(0).meta({ description: 'Entries checked in this page' }),
    head: ChainHeadSchema,
    brokenSeq: z.number().int().positive().optional(),
    reason: z.string().optional(),
    cursor: CursorSchema.optional(),
  })
  .meta({ id: 'AuditVerify' });
export type AuditVerify = z.infer<typeof AuditVerifySchema>;
