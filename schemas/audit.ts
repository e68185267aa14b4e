import * as z from 'zod';
import { CursorSchema, InstantSchema } from './common.ts';

const Sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/);

/** Who caused an event: an API key's holder, or the platform itself (schedule, ingest). */
export const ActorSchema = z.discriminatedUnion('type', [
  // A key a person issued names them too (`personId`): it speaks as them.
  z.object({ type: z.literal('key'), keyId: z.string(), personId: z.string().optional(), partnerId: z.string(), role: z.string() }),
  z.object({ type: z.literal('system'), name: z.string() }),
  // A signed-in person: the id is a pseudonym, the e-mail stays out of the chain so removing the person erases it.
  z.object({ type: z.literal('person'), personId: z.string(), sessionId: z.string(), partnerId: z.string(), role: z.string() }),
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
    after: z.coerce.number().int().min(0).optional().meta({ description: 'Return entries with seq greater than this (oldest first only)' }),
    order: z.enum(['asc', 'desc']).optional().meta({ description: '`asc` (default): oldest first, as the chain is verified; `desc`: newest first, as a register is read' }),
    party: z.string().min(1).max(64).optional().meta({ description: 'Only events this partner is a party to' }),
    since: InstantSchema.optional().meta({ description: 'Only events at or after this instant' }),
    until: InstantSchema.optional().meta({ description: 'Only events at or before this instant. With party, since or until a page may hold fewer than `limit` items: follow the cursor until it is absent' }),
    cursor: CursorSchema.optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
  })
  .strict();
export type AuditQuery = z.infer<typeof AuditQuerySchema>;

/** Who a person named in an event is: personal data, shown to officers and the person's own partner only. */
export const AuditPersonSchema = z
  .object({ email: z.string(), name: z.string().optional(), partnerId: z.string(), subject: z.string().optional().meta({ description: "The OpenID provider's subject" }) })
  .meta({ id: 'AuditPerson' });

export const AuditListSchema = z
  .object({
    items: z.array(AuditEntrySchema),
    cursor: CursorSchema.optional(),
    people: z
      .record(z.string(), AuditPersonSchema)
      .optional()
      .meta({ description: 'The people (by `psn_…` id) who made the events of this page, as far as the caller may know them; a removed person is absent and stays a pseudonym' }),
  })
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

/** The platform's Ed25519 signature: `publicKey` raw 32 bytes, `signature` 64 bytes, both base64url. */
export const CheckpointSignatureSchema = z
  .object({ alg: z.literal('Ed25519'), kid: z.string().min(1).max(2048), publicKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/), signature: z.string().regex(/^[A-Za-z0-9_-]{86}$/) })
  .strict()
  .meta({ id: 'CheckpointSignature' });

/** A signed audit checkpoint: the signature covers SHA-256 of the canonical JSON `{at, headHash, seq}`. */
export const AuditCheckpointSchema = z
  .object({
    seq: z.number().int().positive(),
    headHash: Sha256HexSchema.meta({ description: '`hash` of the entry `seq` when the checkpoint was written' }),
    at: InstantSchema,
    signature: CheckpointSignatureSchema,
  })
  .strict()
  .meta({ id: 'AuditCheckpoint' });
export type AuditCheckpoint = z.infer<typeof AuditCheckpointSchema>;

/** The platform's public signing key: checkpoints (and licence countersignatures) verify with it. */
export const PlatformKeySchema = z
  .object({ alg: z.literal('Ed25519'), kid: z.string(), publicKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/).meta({ description: 'Raw 32-byte Ed25519 public key, base64url' }) })
  .strict()
  .meta({ id: 'PlatformKey' });
export type PlatformKey = z.infer<typeof PlatformKeySchema>;

export const AuditCheckpointQuerySchema = z
  .object({ cursor: CursorSchema.optional(), limit: z.coerce.number().int().min(1).max(500).optional() })
  .strict();
export type AuditCheckpointQuery = z.infer<typeof AuditCheckpointQuerySchema>;

/** Checkpoints, newest first, with the key that signed them. */
export const AuditCheckpointListSchema = z
  .object({ items: z.array(AuditCheckpointSchema), key: PlatformKeySchema, cursor: CursorSchema.optional() })
  .strict()
  .meta({ id: 'AuditCheckpointList' });
export type AuditCheckpointList = z.infer<typeof AuditCheckpointListSchema>;

/** Result of recomputing the chain; `cursor` continues a long chain where this page stopped. */
export const AuditVerifySchema = z
  .object({
    valid: z.boolean(),
    events: z.number().int().min(0).meta({ description: 'Entries checked in this page' }),
    head: ChainHeadSchema,
    brokenSeq: z.number().int().positive().optional(),
    reason: z.string().optional(),
    cursor: CursorSchema.optional(),
    checkpoints: z.number().int().min(0).meta({ description: 'Signed checkpoints this page compared the chain with' }),
    lastCheckpoint: z
      .object({ seq: z.number().int().positive(), headHash: Sha256HexSchema, at: InstantSchema })
      .strict()
      .optional()
      .meta({ description: 'The latest signed checkpoint the chain matched in this page: entries up to it are as the platform signed them' }),
  })
  .meta({ id: 'AuditVerify' });
export type AuditVerify = z.infer<typeof AuditVerifySchema>;

/** A file a partner keeps: the chain as its caller sees it, the signed checkpoints and the key, checkable offline. */
export const AuditExportSchema = z
  .object({
    format: z.literal('comptoir-audit-export/1'),
    source: z.string().meta({ description: 'The platform URL it was read from' }),
    exportedAt: InstantSchema,
    key: PlatformKeySchema,
    checkpoints: z.array(AuditCheckpointSchema).meta({ description: 'Oldest first; read before the entries, so every one is covered by them' }),
    entries: z.array(AuditEntrySchema).meta({ description: 'From seq 1 on, bodies only where the exporter may read them' }),
  })
  .strict()
  .meta({ id: 'AuditExport' });
export type AuditExport = z.infer<typeof AuditExportSchema>;
