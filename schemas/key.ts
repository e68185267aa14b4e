import * as z from 'zod';
import { InstantSchema, pageOf } from './common.ts';
import { PartnerIdSchema, PartnerPublicProfileSchema } from './partner.ts';

/** `officer` belongs to the collectivity; `admin` manages its partner's keys; `member` uses the API. */
export const RoleSchema = z.enum(['officer', 'admin', 'member']);
export type Role = z.infer<typeof RoleSchema>;

// Not imported from person.ts: that module imports this one.
const PersonIdSchema = z.string().regex(/^psn_[0-9A-HJKMNP-TV-Z]{26}$/, 'expected a person id (psn_…)');

export const KeyIdSchema = z.string().regex(/^key_[0-9A-HJKMNP-TV-Z]{26}$/, 'expected a key id (key_…)');

/** Body of `POST /v1/partners/{id}/keys`; `officer` keys can only be issued on the collectivity. */
export const CreateKeyRequestSchema = z
  .object({
    role: RoleSchema,
    label: z.string().trim().min(1).max(100),
  })
  .strict()
  .meta({ id: 'CreateKeyRequest' });
export type CreateKeyRequest = z.infer<typeof CreateKeyRequestSchema>;

/** An issued key: the secret `key` is returned once and never stored. */
export const CreateKeyResponseSchema = z
  .object({
    keyId: KeyIdSchema,
    key: z.string().meta({ description: 'The secret, shown once: `cpt_` + 43 base64url characters' }),
    role: RoleSchema,
    label: z.string(),
    partnerId: PartnerIdSchema,
  })
  .meta({ id: 'CreateKeyResponse' });
export type CreateKeyResponse = z.infer<typeof CreateKeyResponseSchema>;

/** Key metadata as listed for its partner (never the secret nor its hash). */
export const KeySummarySchema = z
  .object({
    keyId: KeyIdSchema,
    partnerId: PartnerIdSchema,
    role: RoleSchema,
    label: z.string(),
    createdAt: InstantSchema,
    revokedAt: InstantSchema.optional(),
    personId: PersonIdSchema.optional().meta({ description: 'The person who issued the key from a session: it speaks as them (four eyes, histories) and stops working when they are removed' }),
  })
  .meta({ id: 'KeySummary' });
export type KeySummary = z.infer<typeof KeySummarySchema>;

export const KeyListSchema = pageOf(KeySummarySchema).meta({ id: 'KeyList' });

export const KeyPathSchema = z.object({ keyId: z.string().min(1).max(64) });

/** The caller as the platform knows it, answer of `GET /v1/me`. */
export const MeResponseSchema = z
  .object({
    principal: z.object({
      keyId: z.union([KeyIdSchema, PersonIdSchema]).meta({ description: "The API key's id, or the person's id for a signed-in person" }),
      label: z.string(),
      personId: PersonIdSchema.optional().meta({ description: 'For a key issued by a person: the person it speaks as' }),
    }),
    partner: PartnerPublicProfileSchema,
    role: RoleSchema,
    person: z.object({ id: z.string(), email: z.string(), name: z.string().optional() }).optional().meta({ description: 'The signed-in person (sessions only)' }),
    session: z
      .object({
        expiresAt: z.string(),
        csrfToken: z.string().meta({ description: 'Send it as `X-CSRF-Token` on every request that changes state' }),
        acr: z.string().optional().meta({ description: "The sign-in's assurance level (the ID token's `acr`)" }),
      })
      .optional(),
  })
  .meta({ id: 'Me' });
export type MeResponse = z.infer<typeof MeResponseSchema>;
