import type { EventBridgeEvent } from 'aws-lambda';
// zod/mini keeps this bundle small; the event needs no more than an object with a string.
import * as z from 'zod/mini';
import { logger } from '../http/logger.ts';
import { variantBuilder } from '../wiring/variants.ts';

const AccessedDetailSchema = z.object({ data: z.object({ accessId: z.string(), variantKey: z.optional(z.string()) }) });

/** EventBridge target of `licence.accessed` (the in-process bus locally): build the enforced variant if needed. */
export async function handler(event: EventBridgeEvent<string, unknown>): Promise<void> {
  const { data } = AccessedDetailSchema.parse(event.detail);
  // The event names the variant of every access that has one: an access without transforms needs no read at all.
  if (!data.variantKey) return;
  const outcome = await variantBuilder.buildFor(data.accessId);
  logger.info('variant', { accessId: data.accessId, outcome });
}
