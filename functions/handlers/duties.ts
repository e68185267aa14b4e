import type { EventBridgeEvent } from 'aws-lambda';
// zod/mini keeps this bundle small.
import * as z from 'zod/mini';
import { logger } from '../http/logger.ts';
import { licenceLifecycle } from '../wiring/lifecycle.ts';

const PublishedDetailSchema = z.object({ subject: z.string(), data: z.object({ version: z.int(), publishedAt: z.string() }) });

/** EventBridge target of `dataset.version.published`: a licensee's publication may fulfil its share-back duties. */
export async function handler(event: EventBridgeEvent<string, unknown>): Promise<void> {
  const { subject, data } = PublishedDetailSchema.parse(event.detail);
  const fulfilled = await licenceLifecycle.onPublished(subject, data.publishedAt, data.version);
  if (fulfilled) logger.info('share-back fulfilled', { datasetId: subject, fulfilled });
}
