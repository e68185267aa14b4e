import * as z from 'zod';

/** Opaque pagination cursor returned by list endpoints and passed back as `?cursor=`. */
export const CursorSchema = z.string().min(1).max(2048).meta({ description: 'Opaque pagination cursor from a previous page' });

/** Common query string of paginated lists. */
export const PageQuerySchema = z.object({
  cursor: CursorSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});
export type PageQuery = z.infer<typeof PageQuerySchema>;

/** ISO-8601 instant with timezone, as stored and returned. */
export const InstantSchema = z.iso.datetime({ offset: true }).meta({ description: 'ISO-8601 instant' });

/** Wraps an item schema into a paginated list response. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), cursor: CursorSchema.optional() });

/** The error body every 4xx and 5xx response carries. */
export const ErrorBodySchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'Stable machine-readable code, e.g. `invalid_request`, `not_found`' }),
      message: z.string(),
      details: z.array(z.unknown()).optional(),
      correlationId: z.string().optional(),
    }),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** The body of routes that take none: `{}`, or nothing at all. */
export const EmptyBodySchema = z.object({}).strict().meta({ id: 'EmptyBody', description: 'No fields; the body may be left out' });

/** `{ ok: true }`: the platform is up and ready to serve (a local runtime still seeding answers 503 instead). */
export const HealthSchema = z.object({ ok: z.literal(true), version: z.string() }).meta({ id: 'Health' });
