import { canonicalJson } from '../../../contracts/digest.ts';
import type { PendingAuditEvent } from '../../domain/audit/audit-trail.ts';

/** Sparse index partition of outbox events not yet sequenced and published. */
export const OUTBOX_PENDING = 'OUTBOX#PENDING';
export const outboxKey = (eventId: string) => ({ pk: `OUTBOX#${eventId}`, sk: 'OUTBOX' });

/** The transaction item that writes an audit event beside the change it records. */
export function outboxPut(tableName: string, event: PendingAuditEvent) {
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...outboxKey(event.body.id),
        // Stored as its canonical text so the body read back hashes exactly as written.
        bodyJson: canonicalJson(event.body),
        bodyHash: event.bodyHash,
        gsi1pk: OUTBOX_PENDING,
        gsi1sk: event.body.id,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}
