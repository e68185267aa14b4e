import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ComptoirClient } from '../../sdk/client.ts';
import { waitForVersion } from '../../sdk/flows.ts';

/** A client whose version stays `validating`, recording each poll. */
function validatingApi(): { api: ComptoirClient; polls: string[] } {
  const polls: string[] = [];
  const api = { call: async (id: string) => (polls.push(id), { version: 1, status: 'validating' }) } as unknown as ComptoirClient;
  return { api, polls };
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
    let outcome: unknown = 'pending';
    void waitForVersion(api, 'dst_1', 1, { signal: controller.signal }).then(
      () => (outcome = 'returned'),
      (error: unknown) => (outcome = error),
    );
    // The first poll answered, the 300 ms pause begun; the fake clock never reaches its end.
    await vi.advanceTimersByTimeAsync(1);
    expect(polls).toEqual(['getVersion']);
    const reason = new Error('stopped');

    controller.abort(reason);
    await vi.advanceTimersByTimeAsync(1);

    expect(outcome).toBe(reason);
    expect(polls).toEqual(['getVersion']);
  });
});
