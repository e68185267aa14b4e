import type { EventBridgeEvent } from 'aws-lambda';
// zod/mini keeps this bundle small; the event needs a dataset id and a version number.
import * as z from 'zod/mini';
import { logger } from '../http/logger.ts';
import { publishedCopies } from '../wiring/query-engine.ts';

const PublishedDetailSchema = z.object({ subject: z.string(), data: z.object({ version: z.number() }) });

/** EventBridge target of `dataset.version.published` (the in-process bus locally): the version's Parquet copy for queries. */
export async function handler(event: EventBridgeEvent<string, unknown>): Promise<void> {
  const { subject, data } = PublishedDetailSchema.parse(event.detail);
  const outcome = await publishedCopies.copy(subject, data.version);
  logger.info('columnar copy', { datasetId: subject, version: data.version, outcome });
}
