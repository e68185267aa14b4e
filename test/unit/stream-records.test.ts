import type { DynamoDBStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { outboxEventIds } from '../../functions/adapters/dynamo/stream-records.ts';
import fixture from '../events/dynamodb-stream/outbox-insert.json' with { type: 'json' };

describe('stream records', () => {
  it('keeps only inserted outbox items', () => {
    const event = structuredClone(fixture) as DynamoDBStreamEvent;
    expect(outboxEventIds(event)).toEqual(['evt_01JZ0000000000000000000001']);
  });

  it('yields nothing for a batch without outbox inserts', () => {
    const event = structuredClone(fixture) as DynamoDBStreamEvent;
    event.Records = event.Records.filter((r) => r.eventName !== 'INSERT' || !r.dynamodb?.Keys?.pk?.S?.startsWith('OUTBOX#'));
    expect(outboxEventIds(event)).toEqual([]);
  });
});
