import type { DynamoDBStreamEvent } from 'aws-lambda';
import { outboxEventIds } from '../adapters/dynamo/stream-records.ts';
import { logger } from '../http/logger.ts';
import { auditSequencer } from '../wiring/sequencer.ts';

/** DynamoDB Stream consumer (reserved concurrency 1): sequences new outbox events into the chain. */
export async function handler(event: DynamoDBStreamEvent): Promise<void> {
  const result = await auditSequencer.process(outboxEventIds(event));
  logger.info('audit events sequenced', { ...result, records: event.Records.length });
}
