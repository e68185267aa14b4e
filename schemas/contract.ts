import * as z from 'zod';
import { InstantSchema, pageOf } from './common.ts';

/** ISO-8601 duration such as P1M, P7D, P1Y or PT12H. */
export const IsoDurationSchema = z
  .string()
  .regex(/^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/, 'expected an ISO-8601 duration such as P1M or P7D')
  .refine((d) => /[1-9]/.test(d), 'the duration must not be zero')
  .refine((d) => (d.match(/\d+/g) ?? []).every((n) => Number(n) <= 1000), 'each part of the duration must be at most 1000');

export const PlainDateSchema = z.iso.date().meta({ description: 'Calendar date, Europe/Paris' });

export const DeliveryObligationSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes'),
    title: z.string().trim().min(3).max(200),
    every: IsoDurationSchema,
    graceDays: z.number().int().min(0).max(365),
    openDataAfter: IsoDurationSchema.optional(),
  })
  .strict();
export type DeliveryObligation = z.infer<typeof DeliveryObligationSchema>;

/** Body of `POST /v1/contracts`. */
export const CreateContractRequestSchema = z
  .object({
    operatorId: z.string().min(1).max(64),
    service: z.string().trim().min(3).max(200),
    startsOn: PlainDateSchema,
    endsOn: PlainDateSchema,
    obligations: z.array(DeliveryObligationSchema).min(1).max(50),
  })
  .strict()
  .refine((c) => c.startsOn < c.endsOn, { message: 'endsOn must be after startsOn', path: ['endsOn'] })
  .refine((c) => new Set(c.obligations.map((o) => o.id)).size === c.obligations.length, { message: 'obligation ids must be unique', path: ['obligations'] })
  .meta({ id: 'CreateContractRequest' });
export type CreateContractRequest = z.infer<typeof CreateContractRequestSchema>;

export const ContractSchema = z
  .object({
    id: z.string(),
    operatorId: z.string(),
    service: z.string(),
    startsOn: PlainDateSchema,
    endsOn: PlainDateSchema,
    obligations: z.array(DeliveryObligationSchema),
    createdAt: InstantSchema,
  })
  .meta({ id: 'Contract' });
export type Contract = z.infer<typeof ContractSchema>;

export const ContractListSchema = pageOf(ContractSchema).meta({ id: 'ContractList' });

export const ComplianceStatusSchema = z.enum(['on_time', 'late', 'missing']);
export type ComplianceStatus = z.infer<typeof ComplianceStatusSchema>;

export const ObligationComplianceSchema = z.object({
  obligationId: z.string(),
  title: z.string(),
  status: ComplianceStatusSchema,
  lastDelivery: z.object({ datasetId: z.string(), version: z.number().int(), publishedAt: InstantSchema }).optional(),
  /** The latest period whose due date has passed, if any. */
  lastDuePeriod: z.object({ index: z.number().int().min(0), start: InstantSchema, end: InstantSchema, due: InstantSchema }).optional(),
  nextDue: InstantSchema.optional(),
});

export const ComplianceSchema = z
  .object({ contractId: z.string(), asOf: InstantSchema, obligations: z.array(ObligationComplianceSchema) })
  .meta({ id: 'Compliance' });
export type Compliance = z.infer<typeof ComplianceSchema>;

export const ComplianceQuerySchema = z
  .object({
    at: z
      .union([InstantSchema, z.iso.date()])
      // A bare date means the start of that day, in UTC like every instant the API answers with.
      .transform((v) => (v.length === 10 ? `${v}T00:00:00Z` : v))
      .optional()
      .meta({ description: 'Compute as of this instant, or of 00:00 UTC on this date (default now)' }),
  })
  .strict();
