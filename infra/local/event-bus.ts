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

/** How one target takes deliveries. */
export interface SubscribeOptions {
  /** Deliveries running at once for this target, like a Lambda's reserved concurrency; the rest wait in order. */
  readonly concurrency?: number;
}

const DEFAULT_CONCURRENCY = 4;

interface Target {
  readonly detailType: string;
  readonly handler: BusHandler;
  readonly concurrency: number;
  running: number;
  readonly queue: { event: BusEvent; attempt: number }[];
}

/**
 * EventBridge stand-in: asynchronous, at-least-once delivery to rules matched on `detail-type`, each
 * target running at most `concurrency` deliveries at once so a burst of events queues instead of
 * taking every database socket from the HTTP requests.
 */
export class InProcessBus implements DomainEventPublisher {
  private readonly targets: Target[] = [];
  /** Deliveries queued, running or waiting to retry. */
  private outstanding = 0;
  private waiters: (() => void)[] = [];
  /** Deliveries finished so far (successful or given up). */
  delivered = 0;

  constructor(private readonly options: InProcessBusOptions = {}) {}

  /** Routes events of one `detail-type` (or `*`) to a handler, like an EventBridge rule and its target. */
  subscribe(detailType: string, handler: BusHandler, options: SubscribeOptions = {}): void {
    const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
    this.targets.push({ detailType, handler, concurrency, running: 0, queue: [] });
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
      for (const target of this.targets) {
        if (target.detailType !== '*' && target.detailType !== busEvent['detail-type']) continue;
        const copies = this.options.duplicateDeliveries ? 2 : 1;
        for (let i = 0; i < copies; i++) {
          this.outstanding += 1;
          target.queue.push({ event: structuredClone(busEvent), attempt: 1 });
        }
        this.pump(target);
      }
    }
  }

  /** Resolves once every delivery queued so far (and any retry it schedules) has finished. */
  idle(): Promise<void> {
    if (this.outstanding === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Deliveries waiting for a free slot, over all targets (the backlog a bench reports). */
  queued(): number {
    return this.targets.reduce((n, t) => n + t.queue.length, 0);
  }

  private pump(target: Target): void {
    while (target.running < target.concurrency && target.queue.length > 0) {
      const next = target.queue.shift()!;
      target.running += 1;
      void this.deliver(target, next.event, next.attempt);
    }
  }

  private async deliver(target: Target, event: BusEvent, attempt: number): Promise<void> {
    const maxAttempts = this.options.maxAttempts ?? 5;
    let retry = false;
    try {
      await new Promise((r) => setImmediate(r));
      await target.handler(event);
    } catch (error) {
      if (attempt >= maxAttempts) this.options.onError?.(error, event);
      else retry = true;
    } finally {
      target.running -= 1;
      // A retry waits its backoff outside the slot, as an asynchronous Lambda invocation does.
      if (retry) setTimeout(() => (target.queue.push({ event, attempt: attempt + 1 }), this.pump(target)), 50 * 2 ** attempt);
      else this.finished();
      this.pump(target);
    }
  }

  private finished(): void {
    this.delivered += 1;
    this.outstanding -= 1;
    if (this.outstanding > 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
