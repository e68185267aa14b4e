import { Agent, request } from 'node:http';
import type { DemoKeys } from '../infra/local/demo-territory.ts';
import type { LocalRuntime } from '../infra/local/runtime.ts';

const BURST_SECONDS = Number(process.env.BENCH_BURST_SECONDS ?? 20);
const BURST_RATE = 70;
const PROBE_EVERY_MS = 50;
const AFTER_SECONDS = 15;

/** One request through a keep-alive agent; resolves with its status and latency in ms. */
function timed(agent: Agent, url: URL, method: string, key: string, body?: unknown): Promise<{ status: number; ms: number }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const start = performance.now();
  return new Promise((resolve) => {
    const req = request(url, { agent, method, headers: { authorization: `Bearer ${key}`, ...(payload ? { 'content-type': 'application/json' } : {}) } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - start }));
    });
    req.on('error', () => resolve({ status: 0, ms: performance.now() - start }));
    req.end(payload);
  });
}

const quantile = (samples: number[], q: number) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
};

async function call(runtime: LocalRuntime, key: string, method: string, path: string, body?: unknown) {
  const res = await fetch(runtime.url + path, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
  return (await res.json()) as Record<string, any>;
}

/**
 * A burst of accesses at 70/s for 20 s (each one audited, each one a `licence.accessed` for the bus),
 * with a probe GET every 50 ms during and after it: request latency while background work catches up.
 */
export async function benchBurst(runtime: LocalRuntime, keys: DemoKeys): Promise<void> {
  const csv = 'line,passengers\nA,120\nB,80\n';
  const ds = await call(runtime, keys.dsp.key, 'POST', '/v1/datasets', { title: 'Validations', description: 'x', theme: 'mobility', classification: 'shared', format: 'csv', schema: { fields: [{ name: 'line', type: 'string' }, { name: 'passengers', type: 'integer' }] } });
  const started = await call(runtime, keys.dsp.key, 'POST', `/v1/datasets/${ds.id}/versions`, { bytes: csv.length });
  await fetch(started.upload.url, { method: 'PUT', body: csv });
  await call(runtime, keys.dsp.key, 'POST', `/v1/datasets/${ds.id}/versions/1/complete`, {});
  await runtime.settle();
  const offer = await call(runtime, keys.dsp.key, 'POST', '/v1/offers', { datasetId: ds.id, template: 'territorial-restricted', clauses: [{ kind: 'quota', params: { count: 1_000_000, per: 'P1D' } }], audience: ['private'] });
  const licence = await call(runtime, keys.private.key, 'POST', '/v1/licences', { offerId: offer.id, purpose: 'planning' });
  await call(runtime, keys.private.key, 'POST', `/v1/licences/${licence.id}/sign`);
  await call(runtime, keys.private.key, 'POST', `/v1/licences/${licence.id}/access`, { purpose: 'planning' });
  await runtime.settle();

  const { auditStore } = await import('../functions/wiring/audit.ts');
  const headBefore = (await auditStore.head()).seq;
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const accessUrl = new URL(`/v1/licences/${licence.id}/access`, runtime.url);
  const meUrl = new URL('/v1/me', runtime.url);
  const accesses: Promise<{ status: number; ms: number }>[] = [];
  const during: number[] = [];
  const after: number[] = [];
  const state: { phase: 'burst' | 'after' | 'done' } = { phase: 'burst' };
  const probing = (async () => {
    while (state.phase !== 'done') {
      const samples = state.phase === 'burst' ? during : after;
      const r = await timed(agent, meUrl, 'GET', keys.private.key);
      if (r.status === 200) samples.push(r.ms);
      await new Promise((res) => setTimeout(res, PROBE_EVERY_MS));
    }
  })();

  // Open loop: requests leave on schedule whether or not earlier ones have answered.
  const t0 = performance.now();
  for (let i = 0; i < BURST_SECONDS * BURST_RATE; i++) {
    const due = t0 + (i * 1000) / BURST_RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((res) => setTimeout(res, wait));
    accesses.push(timed(agent, accessUrl, 'POST', keys.private.key, { purpose: 'planning' }));
  }
  const results = await Promise.all(accesses);
  const burstEnd = performance.now();
  state.phase = 'after';
  const expected = headBefore + results.filter((r) => r.status === 200 || r.status === 202).length;
  let caughtUpMs = NaN;
  const deadline = burstEnd + AFTER_SECONDS * 1000;
  while (performance.now() < deadline) {
    if (Number.isNaN(caughtUpMs) && (await auditStore.head()).seq >= expected && runtime.bus.queued() === 0) caughtUpMs = performance.now() - burstEnd;
    await new Promise((res) => setTimeout(res, 100));
  }
  state.phase = 'done';
  await probing;
  await runtime.settle();
  agent.destroy();

  const ok = results.filter((r) => r.status === 200 || r.status === 202);
  const accessMs = ok.map((r) => r.ms);
  const all = [...accessMs, ...during, ...after];
  const row = (label: string, s: number[]) => `  ${label.padEnd(38)} p50 ${quantile(s, 0.5).toFixed(1).padStart(6)} ms   p99 ${quantile(s, 0.99).toFixed(1).padStart(7)} ms   (${s.length})`;
  console.log(`\nBurst: ${BURST_RATE} accesses/s for ${BURST_SECONDS} s (open loop), a GET /v1/me every ${PROBE_EVERY_MS} ms during and ${AFTER_SECONDS} s after`);
  console.log(`  accesses answered 200/202            ${ok.length} of ${results.length}`);
  console.log(row('POST .../access during the burst', accessMs));
  console.log(row('GET /v1/me during the burst', during));
  console.log(row('GET /v1/me after the burst', after));
  console.log(row('every request', all) + '   (target p99 < 200 ms)');
  console.log(`  chain and bus caught up              ${Number.isNaN(caughtUpMs) ? `not within ${AFTER_SECONDS} s` : `${(caughtUpMs / 1000).toFixed(1)} s after the burst`}`);
}
