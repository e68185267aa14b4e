import type { EventBridgeEvent } from 'aws-lambda';
// zod/mini keeps this bundle small; the event needs no more than an object with a string.
import * as z from 'zod/mini';
import { logger } from '../http/logger.ts';
import { variantBuilder } from '../wiring/variants.ts';

const AccessedDetailSchema = z.object({ data: z.object({ accessId: z.string() }) });

/** EventBridge target of `licence.accessed` (the in-process bus locally): build the enforced variant if needed. */
export async function handler(event: EventBridgeEvent<string, unknown>): Promise<void> {
  const { data } = AccessedDetailSchema.parse(event.detail);
  const outcome = await variantBuilder.buildFor(data.accessId);
  logger.info('variant', { accessId: data.accessId, outcome });
}
