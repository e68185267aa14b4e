import { describe, expect, it } from 'vitest';
import { Readiness } from '../../functions/domain/health/readiness.ts';
import type { DependencyProbe } from '../../functions/ports/readiness.ts';

/** A probe that counts its calls and answers as told. */
function probe(up: () => boolean): DependencyProbe & { calls: number } {
  const p = {
    calls: 0,
    probe: async () => {
      p.calls += 1;
      if (!up()) throw new Error('ECONNREFUSED');
    },
  };
  return p;
}

describe('Readiness', () => {
  it('names the dependency that is down and reports ok only when both answer', async () => {
    let tableUp = false;
    let at = 0;
    const readiness = new Readiness({ probes: { table: probe(() => tableUp), bucket: probe(() => true) }, clock: { now: () => new Date(at) } });

    expect(await readiness.check()).toEqual({ ok: false, checks: { table: 'down', bucket: 'up' } });
    tableUp = true;
    at += 1_000;
    expect(await readiness.check()).toEqual({ ok: true, checks: { table: 'up', bucket: 'up' } });
  });

  it('probes each dependency at most once a second, however many callers ask', async () => {
    let at = 0;
    const table = probe(() => true);
    const bucket = probe(() => true);
    const readiness = new Readiness({ probes: { table, bucket }, clock: { now: () => new Date(at) } });

    await Promise.all(Array.from({ length: 10 }, () => readiness.check()));
    at += 999;
    await readiness.check();
    expect([table.calls, bucket.calls]).toEqual([1, 1]);
    at += 1;
    await readiness.check();
    expect([table.calls, bucket.calls]).toEqual([2, 2]);
  });
});
