import * as z from 'zod';
import { InstantSchema, pageOf } from './common.ts';
import { RoleSchema } from './key.ts';
import { PartnerIdSchema } from './partner.ts';

/** Person ids are `psn_` followed by a ULID: the pseudonym the audit keeps once a person is removed. */
export const PersonIdSchema = z.string().regex(/^psn_[0-9A-HJKMNP-TV-Z]{26}$/, 'expected a person id (psn_…)');

/** A SIRET: the SIREN of the organisation then five digits for the establishment. */
export const SiretSchema = z.string().regex(/^\d{14}$/, 'a SIRET has fourteen digits');

/** `invited` until the person first signs in; then bound to the provider's subject. */
export const PersonStatusSchema = z.enum(['invited', 'active']);

/** A person of a partner, as officers and that partner see them (personal data: no one else does). */
export const PersonSchema = z
  .object({
    id: PersonIdSchema,
    partnerId: PartnerIdSchema,
    email: z.email(),
    name: z.string().optional(),
    role: RoleSchema,
    status: PersonStatusSchema,
    siret: SiretSchema.optional().meta({ description: 'The establishment the invitation expects, checked against the `siret` claim' }),
    invitedAt: InstantSchema,
    activatedAt: InstantSchema.optional(),
  })
  .meta({ id: 'Person' });
export type Person = z.infer<typeof PersonSchema>;

export const PersonListSchema = pageOf(PersonSchema).meta({ id: 'PersonList' });
export type PersonList = z.infer<typeof PersonListSchema>;

/** Body of `POST /v1/partners/{id}/people`: invites a person by e-mail address. */
export const InvitePersonRequestSchema = z
  .object({
    email: z.email().max(254).transform((e) => e.toLowerCase()),
    role: RoleSchema,
    siret: SiretSchema.optional(),
  })
  .strict()
  .meta({ id: 'InvitePersonRequest' });
export type InvitePersonRequest = z.infer<typeof InvitePersonRequestSchema>;

export const PersonPathSchema = z.object({ personId: z.string().min(1).max(64) });

/** Query of `GET /auth/login`: where to come back in the console once signed in. */
export const LoginQuerySchema = z
  .object({
    returnTo: z
      .string()
      .max(512)
      .regex(/^\/(?![/\\])[^\s]*$/, 'a path on this platform (starting with a single /)')
      .optional(),
    acr: z
      .string()
      .regex(/^[A-Za-z0-9._:/-]{1,200}$/, 'an acr value, e.g. eidas2')
      .optional()
      .meta({ description: 'Ask the provider for this assurance level (`acr_values`); the ID token must then carry it. After a 403 `acr_insufficient`' }),
  })
  .strict();

/** Query the provider sends back to `GET /auth/callback` (errors included). */
export const CallbackQuerySchema = z
  .object({
    code: z.string().max(2048).optional(),
    state: z.string().max(512).optional(),
    iss: z.string().max(512).optional(),
    session_state: z.string().max(512).optional(),
    error: z.string().max(256).optional(),
    error_description: z.string().max(1024).optional(),
  })
  .strict();

/** Answer of `POST /auth/logout`: where the browser goes to end the provider's session too. */
export const LogoutResponseSchema = z
  .object({ endSessionUrl: z.url().optional().meta({ description: "The provider's end-session URL (RP-initiated logout); absent when the provider has none" }) })
  .meta({ id: 'Logout' });

/** Redirect headers of the sign-in routes: where the browser goes, and the cookie set or cleared. */
export const SignInRedirectHeaders = z.object({
  Location: z.string().meta({ description: 'The provider (login) or the console (callback)' }),
});
