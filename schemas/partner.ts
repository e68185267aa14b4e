import * as z from 'zod';
import { InstantSchema, pageOf } from './common.ts';

/** Partner ids are `prt_` followed by a ULID. */
export const PartnerIdSchema = z.string().regex(/^prt_[0-9A-HJKMNP-TV-Z]{26}$/, 'expected a partner id (prt_…)');

/** Kinds a partner can be registered as; `collectivity` is the territory itself. */
export const PartnerKindSchema = z.enum(['collectivity', 'public', 'dsp', 'private']);
export type PartnerKind = z.infer<typeof PartnerKindSchema>;

/** A SIREN is nine digits whose Luhn sum is a multiple of ten. */
export const SirenSchema = z
  .string()
  .regex(/^\d{9}$/, 'a SIREN has nine digits')
  .refine(isLuhnValid, 'SIREN checksum (Luhn) does not match');

function isLuhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/** A partner as officers and the partner itself see it. */
export const PartnerSchema = z
  .object({
    id: PartnerIdSchema,
    name: z.string(),
    kind: PartnerKindSchema,
    siren: SirenSchema.optional(),
    contactEmail: z.email(),
    createdAt: InstantSchema,
  })
  .meta({ id: 'Partner' });
export type Partner = z.infer<typeof PartnerSchema>;

/** What any partner may learn of another: embedded wherever a publisher is shown. */
export const PartnerPublicProfileSchema = PartnerSchema.pick({ id: true, name: true, kind: true }).meta({
  id: 'PartnerPublicProfile',
});
export type PartnerPublicProfile = z.infer<typeof PartnerPublicProfileSchema>;

/** Body of `POST /v1/partners`. */
export const CreatePartnerRequestSchema = z
  .object({
    name: z.string().trim().min(2).max(200),
    kind: z.enum(['public', 'dsp', 'private']),
    siren: SirenSchema.optional(),
    contactEmail: z.email().max(320),
  })
  .strict()
  .meta({ id: 'CreatePartnerRequest' });
export type CreatePartnerRequest = z.infer<typeof CreatePartnerRequestSchema>;

/** Answer of `POST /v1/partners`: the partner and its first admin key, shown once. */
export const CreatePartnerResponseSchema = z
  .object({ partner: PartnerSchema, adminKey: z.object({ keyId: z.string(), key: z.string() }) })
  .meta({ id: 'CreatePartnerResponse' });
export type CreatePartnerResponse = z.infer<typeof CreatePartnerResponseSchema>;

export const PartnerListSchema = pageOf(PartnerSchema).meta({ id: 'PartnerList' });
export type PartnerList = z.infer<typeof PartnerListSchema>;

export const PartnerPathSchema = z.object({ id: z.string().min(1).max(64) });
