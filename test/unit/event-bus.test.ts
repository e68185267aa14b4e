import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../functions/ports/audit.ts';
import { InProcessBus, type BusEvent } from '../../infra/local/event-bus.ts';

const event = (seq: number, action = 'licence.accessed'): DomainEvent => ({
  seq,
  body: { id: `evt_${seq}`, at: '2026-11-29T10:00:00.000Z', actor: { type: 'system', name: 'test' }, action, subject: `lic_${seq}`, parties: [], data: {} },
});

/** A handler that holds every delivery until released, and records how many ran at once. */
function gate() {
  const started: number[] = [];
  const releases: (() => void)[] = [];
  let running = 0;
  let maxRunning = 0;
  const handler = async (e: BusEvent) => {
    started.push(e.detail.seq);
    running += 1;
    maxRunning = Math.max(maxRunning, running);
    await new Promise<void>((r) => releases.push(r));
    running -= 1;
  };
  /** Lets the event loop run until `n` deliveries have started (or nothing more starts). */
  const untilStarted = async (n: number) => {
    for (let i = 0; i < 100 && started.length < n; i++) await new Promise((r) => setImmediate(r));
  };
  const releaseAll = () => releases.splice(0).forEach((r) => r());
  return { handler, started, untilStarted, releaseAll, maxRunning: () => maxRunning };
}

describe('in-process bus: bounded concurrency per target', () => {
  it('runs at most `concurrency` deliveries of a target at once and queues the rest in order', async () => {
    // Arrange
    const bus = new InProcessBus();
    const g = gate();
    bus.subscribe('licence.accessed', g.handler, { concurrency: 2 });

    // Act: a burst of 10 events
    await bus.publish(Array.from({ length: 10 }, (_, i) => event(i + 1)));
    await g.untilStarted(10);

    // Assert: two run, eight wait; each release lets the next ones in, in order
    expect(g.started).toEqual([1, 2]);
    expect(bus.queued()).toBe(8);
    let done = false;
    const idle = bus.idle().then(() => (done = true));
    while (g.started.length < 10 || !done) {
      g.releaseAll();
      await g.untilStarted(g.started.length + 2);
      await new Promise((r) => setImmediate(r));
    }
    await idle;
    expect(g.started).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(g.maxRunning()).toBe(2);
    expect(bus.delivered).toBe(10);
    expect(bus.queued()).toBe(0);
  });

  it('keeps targets apart: a saturated target does not hold back another', async () => {
    const bus = new InProcessBus();
    const slow = gate();
    const fast: number[] = [];
    bus.subscribe('dataset.version.published', slow.handler, { concurrency: 1 });
    bus.subscribe('dataset.version.published', async (e) => void fast.push(e.detail.seq), { concurrency: 1 });

    await bus.publish([event(1, 'dataset.version.published'), event(2, 'dataset.version.published'), event(3, 'dataset.version.published')]);
    await slow.untilStarted(3);
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));

    expect(slow.started).toEqual([1]);
    expect(fast).toEqual([1, 2, 3]);
    slow.releaseAll();
    await slow.untilStarted(2);
    slow.releaseAll();
    await slow.untilStarted(3);
    slow.releaseAll();
    await bus.idle();
    expect(bus.delivered).toBe(6);
  });

  it('idle() waits for queued deliveries and for the retry of a failed one', async () => {
    const bus = new InProcessBus();
    const attempts: number[] = [];
    bus.subscribe(
      'licence.accessed',
      async (e) => {
        attempts.push(e.detail.seq);
        if (attempts.filter((s) => s === e.detail.seq).length === 1 && e.detail.seq === 2) throw new Error('transient');
      },
      { concurrency: 1 },
    );

    await bus.publish([event(1), event(2), event(3)]);
    await bus.idle();

    expect(attempts.sort()).toEqual([1, 2, 2, 3]);
    expect(bus.delivered).toBe(3);
  });

  it('refuses a concurrency that is not a positive integer', () => {
    const bus = new InProcessBus();
    expect(() => bus.subscribe('*', async () => undefined, { concurrency: 0 })).toThrow(RangeError);
    expect(() => bus.subscribe('*', async () => undefined, { concurrency: 1.5 })).toThrow(RangeError);
  });
});
