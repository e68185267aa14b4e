import type { EventBridgeEvent } from 'aws-lambda';
// zod/mini keeps this bundle small; the event shape needs no more than objects, strings and integers.
import * as z from 'zod/mini';
import { logger } from '../http/logger.ts';
import { ingestService } from '../wiring/ingest.ts';

/** The part of a `dataset.version.uploaded` or `dataset.version.redriven` event ingest needs. */
const UploadedDetailSchema = z.object({ subject: z.string().check(z.minLength(1)), data: z.object({ version: z.int().check(z.positive()) }) });

/** EventBridge target of `dataset.version.uploaded` and of the sweeper's `dataset.version.redriven` (the in-process bus locally): validate and publish. */
export async function handler(event: EventBridgeEvent<string, unknown>): Promise<void> {
  const detail = UploadedDetailSchema.parse(event.detail);
  const outcome = await ingestService.ingest(detail.subject, detail.data.version);
  logger.info('ingest finished', { datasetId: detail.subject, version: detail.data.version, outcome });
}
