import * as z from 'zod';

/** An `Idempotency-Key` header value: printable ASCII, at most 255 characters (as Stripe bounds them). */
export const IdempotencyKeySchema = z
  .string()
  .regex(/^[\x20-\x7e]{1,255}$/, '1 to 255 printable ASCII characters')
  .meta({
    description:
      'Per API key, kept 7 days: a retry with the same key and request gets the first answer and changes nothing twice; ' +
      'the same key with another request is a 409 `idempotency_key_reused`; while the first request is still running, a 409 ' +
      '`idempotency_in_progress` with `Retry-After`. A request that fails frees its key.',
  });
