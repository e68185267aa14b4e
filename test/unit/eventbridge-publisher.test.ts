import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';
import { EventBridgePublisher } from '../../functions/adapters/events/eventbridge-publisher.ts';
import { DependencyError } from '../../functions/domain/errors.ts';
import type { DomainEvent } from '../../functions/ports/audit.ts';

const event = (n: number): DomainEvent => ({
  seq: n,
  body: { id: `evt_${n}`, at: '2026-11-29T10:00:00.000Z', actor: { type: 'system', name: 't' }, action: 'partner.created', subject: 's', parties: [], data: {} },
});

/** EventBridge has no local emulator: a stub client injects the faults (partial failure, outage) to test. */
function stubClient(answer: (entries: number) => unknown) {
  const calls: { Entries: { DetailType: string; Detail: string }[] }[] = [];
  const client = {
    send: async (command: { input: (typeof calls)[number] }) => {
      calls.push(command.input);
      return answer(command.input.Entries.length);
    },
  } as unknown as EventBridgeClient;
  return { client, calls };
}

describe('EventBridge publisher', () => {
  it('sends at most ten entries per call, detail-type being the action', async () => {
    const { client, calls } = stubClient(() => ({ FailedEntryCount: 0 }));
    await new EventBridgePublisher(client, 'bus').publish(Array.from({ length: 23 }, (_, i) => event(i + 1)));
    expect(calls.map((c) => c.Entries.length)).toEqual([10, 10, 3]);
    expect(calls[0]!.Entries[0]).toMatchObject({ DetailType: 'partner.created', EventBusName: 'bus', Source: 'comptoir' });
    expect(JSON.parse(calls[0]!.Entries[0]!.Detail)).toMatchObject({ seq: 1, id: 'evt_1' });
  });

  it('raises on a partial failure so the stream batch is retried', async () => {
    const { client } = stubClient(() => ({ FailedEntryCount: 1 }));
    await expect(new EventBridgePublisher(client, 'bus').publish([event(1)])).rejects.toBeInstanceOf(DependencyError);
  });

  it('wraps an outage, keeping the cause', async () => {
    const outage = new Error('ServiceUnavailable');
    const { client } = stubClient(() => Promise.reject(outage));
    await expect(new EventBridgePublisher(client, 'bus').publish([event(1)])).rejects.toMatchObject({ cause: outage });
  });
});
