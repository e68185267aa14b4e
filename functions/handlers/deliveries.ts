import type { EventBridgeEvent, ScheduledEvent } from 'aws-lambda';
// zod/mini keeps this bundle small.
import * as z from 'zod/mini';
import { logger } from '../http/logger.ts';
import { deliveryService } from '../wiring/deliveries.ts';

const PublishedDetailSchema = z.object({ id: z.string(), subject: z.string(), data: z.object({ version: z.int(), sha256: z.string(), publishedAt: z.string() }) });

/** EventBridge target of `dataset.version.published` (fan-out) and of the one-minute retry schedule. */
export async function handler(event: EventBridgeEvent<string, unknown> | ScheduledEvent): Promise<void> {
  if (event['detail-type'] === 'Scheduled Event') {
    const run = await deliveryService.retryDue(new Date(event.time));
    if (run.attempted) logger.info('webhook retries', { ...run });
    return;
  }
  const { id, subject, data } = PublishedDetailSchema.parse(event.detail);
  const run = await deliveryService.onPublished({ eventId: id, datasetId: subject, version: data.version, sha256: data.sha256, publishedAt: data.publishedAt });
  logger.info('webhook fan-out', { datasetId: subject, version: data.version, ...run });
}
