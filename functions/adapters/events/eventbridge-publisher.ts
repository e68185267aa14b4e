import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DependencyError } from '../../domain/errors.ts';
import { sdkClientConfig } from '../sdk-timeouts.ts';
import type { DomainEvent, DomainEventPublisher } from '../../ports/audit.ts';

/** EventBridge accepts ten entries per PutEvents call. */
const ENTRIES_PER_CALL = 10;
export const EVENT_SOURCE = 'comptoir';

/** Forwards domain events to the territory's EventBridge bus; `detail-type` is the audit action. */
export class EventBridgePublisher implements DomainEventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async publish(events: readonly DomainEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += ENTRIES_PER_CALL) {
      const batch = events.slice(i, i + ENTRIES_PER_CALL);
      let out;
      try {
        out = await this.client.send(
          new PutEventsCommand({
            Entries: batch.map((e) => ({
              EventBusName: this.busName,
              Source: EVENT_SOURCE,
              DetailType: e.body.action,
              Time: new Date(e.body.at),
              Detail: JSON.stringify({ seq: e.seq, ...e.body }),
            })),
          }),
        );
      } catch (error) {
        throw new DependencyError('EventBridge PutEvents failed', { cause: error });
      }
      // Partial failures: raise so the stream batch is retried (consumers de-duplicate on the event id).
      if (out.FailedEntryCount) throw new DependencyError(`EventBridge rejected ${out.FailedEntryCount} of ${batch.length} events`);
    }
  }
}

/** A publisher with its own client, for module-scope wiring. */
export const createEventBridgePublisher = (busName: string) => new EventBridgePublisher(new EventBridgeClient(sdkClientConfig('other')), busName);
