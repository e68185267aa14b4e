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

/** Bounds on every JSON request body, checked at the edge before any schema (400 `json_too_complex`). */
export const JSON_BODY_LIMITS = {
  /** Deepest nesting of objects and arrays (a GeoJSON MultiPolygon zone needs 9). */
  depth: 32,
  /** Most items in one array (the largest declared list, a multipart completion, has 10,000). */
  arrayItems: 20_000,
} as const;

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

/** What the readiness check found of each dependency. */
export const ReadinessChecksSchema = z
  .object({ table: z.enum(['up', 'down']), bucket: z.enum(['up', 'down']) })
  .strict()
  .meta({ id: 'ReadinessChecks', description: '`down`: the last cheap call to it failed or timed out' });

/** `GET /health/ready` answered 200: the table and the bucket both answered. */
export const ReadySchema = z
  .object({ ok: z.literal(true), checks: z.object({ table: z.literal('up'), bucket: z.literal('up') }).strict() })
  .strict()
  .meta({ id: 'Ready' });

/** `GET /health/ready` answered 503: the error shape, naming each dependency that is down. */
export const NotReadySchema = z
  .object({ error: z.object({ code: z.literal('not_ready'), message: z.string(), checks: ReadinessChecksSchema }).strict() })
  .strict()
  .meta({ id: 'NotReady' });
