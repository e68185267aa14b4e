import type { DynamoDBStreamEvent } from 'aws-lambda';

/** Outbox event ids among a stream batch's inserted items; other records are ignored. */
export function outboxEventIds(event: DynamoDBStreamEvent): string[] {
  return event.Records.flatMap((r) => {
    const pk = r.dynamodb?.Keys?.pk?.S;
    return r.eventName === 'INSERT' && pk?.startsWith('OUTBOX#') ? [pk.slice('OUTBOX#'.length)] : [];
  });
}
