import { randomUUID } from 'node:crypto';
import type { EventBridgeEvent } from 'aws-lambda';
import type { DomainEvent, DomainEventPublisher } from '../../functions/ports/audit.ts';
import { EVENT_SOURCE } from '../../functions/adapters/events/eventbridge-publisher.ts';

export type BusEvent = EventBridgeEvent<string, DomainEvent['body'] & { seq: number }>;
export type BusHandler = (event: BusEvent) => Promise<void>;

export interface InProcessBusOptions {
  /** Deliver every event twice, as EventBridge may: handlers must tolerate it. */
  readonly duplicateDeliveries?: boolean;
  readonly maxAttempts?: number;
  readonly onError?: (error: unknown, event: BusEvent) => void;
}

/** EventBridge stand-in: asynchronous, at-least-once delivery to rules matched on `detail-type`. */
export class InProcessBus implements DomainEventPublisher {
  private readonly rules: { detailType: string; handler: BusHandler }[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  /** Deliveries finished so far (successful or given up). */
  delivered = 0;

  constructor(private readonly options: InProcessBusOptions = {}) {}

  /** Routes events of one `detail-type` (or `*`) to a handler, like an EventBridge rule. */
  subscribe(detailType: string, handler: BusHandler): void {
    this.rules.push({ detailType, handler });
  }

  async publish(events: readonly DomainEvent[]): Promise<void> {
    for (const e of events) {
      const busEvent: BusEvent = {
        version: '0',
        id: randomUUID(),
        'detail-type': e.body.action,
        source: EVENT_SOURCE,
        account: '000000000000',
        time: e.body.at,
        region: 'local',
        resources: [],
        detail: { seq: e.seq, ...e.body },
      };
      for (const rule of this.rules) {
        if (rule.detailType !== '*' && rule.detailType !== busEvent['detail-type']) continue;
        const copies = this.options.duplicateDeliveries ? 2 : 1;
        for (let i = 0; i < copies; i++) this.track(this.deliver(rule.handler, structuredClone(busEvent)));
      }
    }
  }

  /** Resolves once every delivery started so far has finished. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => {
      this.inFlight.delete(p);
      this.delivered += 1;
    });
  }

  private async deliver(handler: BusHandler, event: BusEvent): Promise<void> {
    const maxAttempts = this.options.maxAttempts ?? 5;
    await new Promise((r) => setImmediate(r));
    for (let attempt = 1; ; attempt++) {
      try {
        return await handler(event);
      } catch (error) {
        if (attempt >= maxAttempts) return this.options.onError?.(error, event);
        await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      }
    }
  }
}
