import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ComptoirClient } from '../../sdk/client.ts';
import { waitForVersion } from '../../sdk/flows.ts';

/** A client whose version stays `validating`, recording each poll; `onPoll` runs while a poll is in flight. */
function validatingApi(onPoll: () => void = () => undefined): { api: ComptoirClient; polls: string[] } {
  const polls: string[] = [];
  const api = { call: async (id: string) => (polls.push(id), onPoll(), { version: 1, status: 'validating' }) } as unknown as ComptoirClient;
  return { api, polls };
}

/** Records how `promise` settles, so a test can tell it is still pending. */
function outcomeOf(promise: Promise<unknown>): { value: unknown } {
  const outcome: { value: unknown } = { value: 'pending' };
  promise.then(
    () => (outcome.value = 'returned'),
    (error: unknown) => (outcome.value = error),
  );
  return outcome;
}

describe('waitForVersion stopped by an abort signal', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('does not poll once the signal has aborted', async () => {
    const { api, polls } = validatingApi();
    const reason = new Error('stopped');

    await expect(waitForVersion(api, 'dst_1', 1, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);

    expect(polls).toEqual([]);
  });

  it('stops during the pause between two polls instead of waiting it out', async () => {
    const { api, polls } = validatingApi();
    const controller = new AbortController();
    const outcome = outcomeOf(waitForVersion(api, 'dst_1', 1, { signal: controller.signal }));
    // The first poll answered, the 300 ms pause begun; the fake clock never reaches its end.
    await vi.advanceTimersByTimeAsync(1);
    expect(polls).toEqual(['getVersion']);
    const reason = new Error('stopped');

    controller.abort(reason);
    await vi.advanceTimersByTimeAsync(1);

    expect(outcome.value).toBe(reason);
    expect(polls).toEqual(['getVersion']);
  });

  it('does not start the pause when the signal aborted during a poll', async () => {
    const controller = new AbortController();
    const reason = new Error('stopped');
    const { api, polls } = validatingApi(() => controller.abort(reason));

    const outcome = outcomeOf(waitForVersion(api, 'dst_1', 1, { signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(1);

    expect(outcome.value).toBe(reason);
    expect(polls).toEqual(['getVersion']);
  });
});
