import { describe, expect, it } from 'vitest';
import { BackgroundJob } from '../../infra/local/background-job.ts';

describe('BackgroundJob while its dependency is down', () => {
  it('says so once, backs off exponentially up to the cap, and says once when it works again', async () => {
    let at = 0;
    let down = true;
    let runs = 0;
    const lines: string[] = [];
    const job = new BackgroundJob(
      async () => {
        runs += 1;
        if (down) throw new Error('DynamoDB Query failed');
      },
      (e) => lines.push(`down: ${String(e)}`),
      { onRecovered: () => lines.push('back'), backoff: { initialMs: 1_000, maxMs: 4_000 }, now: () => at },
    );
    // Kicks every 100 ms for 20 s, like a one-second timer plus requests.
    const runsAt: number[] = [];
    for (; at < 20_000; at += 100) {
      const before = runs;
      await job.kick();
      if (runs > before) runsAt.push(at);
    }

    expect(lines).toEqual(['down: Error: DynamoDB Query failed']);
    expect(job.failing).toBe(true);
    // 1 s, 2 s, 4 s, then capped at 4 s.
    expect(runsAt).toEqual([0, 1_000, 3_000, 7_000, 11_000, 15_000, 19_000]);

    down = false;
    at += 4_000;
    await job.kick();
    await job.kick();
    expect(lines).toEqual(['down: Error: DynamoDB Query failed', 'back']);
    expect(job.failing).toBe(false);
  });
});
