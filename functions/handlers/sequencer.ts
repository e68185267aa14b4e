import type { DynamoDBStreamEvent } from 'aws-lambda';
import { logger } from '../http/logger.ts';
import { auditSequencer } from '../wiring/sequencer.ts';

/** Outbox event ids among the stream's inserted items (the event source filter already narrows to them). */
export function outboxEventIds(event: DynamoDBStreamEvent): string[] {
  return event.Records.flatMap((r) => {
    const pk = r.dynamodb?.Keys?.pk?.S;
    return r.eventName === 'INSERT' && pk?.startsWith('OUTBOX#') ? [pk.slice('OUTBOX#'.length)] : [];
  });
}

/** DynamoDB Stream consumer (reserved concurrency 1): sequences new outbox events into the chain. */
export async function handler(event: DynamoDBStreamEvent): Promise<void> {
  const result = await auditSequencer.process(outboxEventIds(event));
  logger.info('audit events sequenced', { ...result, records: event.Records.length });
}
