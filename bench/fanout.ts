import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DemoKeys } from '../infra/local/demo-territory.ts';
import type { LocalRuntime } from '../infra/local/runtime.ts';
import { signWebhook } from '../sdk/webhooks.mjs';
import { RoundTrips } from './round-trips.ts';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';

const PARALLEL = 32;
/** A partner holds at most 500 subscriptions: larger runs spread them over licensees of their own. */
const PER_LICENSEE = 400;
const SETUP_LANES = 8;
/** What every delivery writes, however the writes are gathered: its delivery, access record, audit event, chain entry and attempt. */
const ITEMS_PER_DELIVERY = 5;
let roundTrips: RoundTrips | undefined;
// A full collection before each reading, so the heap measured is what is still held, not garbage yet to collect.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const mb = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`;
/** CPU milliseconds a process has used (user + system), from /proc; undefined where there is none. */
export function cpuMsOf(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

async function call(runtime: LocalRuntime, key: string, method: string, path: string, body?: unknown) {
  const res = await fetch(runtime.url + path, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
  return (await res.json()) as Record<string, any>;
}

/** Publish-to-last-delivery for `count` webhook subscribers, against the same count of raw signed POSTs. */
export async function benchFanOut(runtime: LocalRuntime, keys: DemoKeys, count: number, dynamoPid?: number): Promise<void> {
  const received: { path: string; at: number; body: string }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', at: performance.timeOrigin + performance.now(), body: Buffer.concat(chunks).toString() });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const csv = 'line,passengers\nA,120\nB,80\n';
  const ds = await call(runtime, keys.dsp.key, 'POST', '/v1/datasets', { title: 'Horaires temps réel', description: 'x', theme: 'mobility', classification: 'shared', format: 'csv', schema: { fields: [{ name: 'line', type: 'string' }, { name: 'passengers', type: 'integer' }] } });
  const offer = await call(runtime, keys.dsp.key, 'POST', '/v1/offers', { datasetId: ds.id, template: 'territorial-restricted', audience: ['private'] });
  // Firms of their own, each signing one licence (a partner holds at most 500 subscriptions), so runs do not add up.
  const licensees: { key: string; licenceId: string }[] = [];
  for (let n = 0; n * PER_LICENSEE < count; n++) {
    const firm = await call(runtime, keys.officer.key, 'POST', '/v1/partners', { name: `Abonné ${count}-${n}`, kind: 'private', contactEmail: `abonne${count}-${n}@bench.example` });
    const licence = await call(runtime, firm.adminKey.key, 'POST', '/v1/licences', { offerId: offer.id, purpose: 'planning' });
    await call(runtime, firm.adminKey.key, 'POST', `/v1/licences/${licence.id}/sign`);
    licensees.push({ key: firm.adminKey.key, licenceId: licence.id });
  }
  let subscribed = 0;
  await Promise.all(
    Array.from({ length: SETUP_LANES }, async () => {
      while (subscribed < count) {
        const i = subscribed++;
        const { key, licenceId } = licensees[Math.floor(i / PER_LICENSEE)]!;
        const created = await call(runtime, key, 'POST', '/v1/subscriptions', { licenceId, webhook: { url: `${base}/s${i}` } });
        if (!created.subscription) throw new Error(`subscription ${i} refused: ${JSON.stringify(created)}`);
      }
    }),
  );
  await runtime.settle();
  roundTrips ??= RoundTrips.of((await import('../functions/wiring/table.ts')).documentClient);
  gc();
  const memoryBefore = process.memoryUsage();
  let peak = memoryBefore;
  const sampler = setInterval(() => {
    const now = process.memoryUsage();
    if (now.heapUsed > peak.heapUsed) peak = now;
  }, 25);
  const cpuBefore = { node: process.cpuUsage(), dynamo: cpuMsOf(dynamoPid) };
  roundTrips.start();

  const started = await call(runtime, keys.dsp.key, 'POST', `/v1/datasets/${ds.id}/versions`, { bytes: Buffer.byteLength(csv) });
  await fetch(started.upload.url, { method: 'PUT', body: csv });
  const completedAt = Date.now();
  await call(runtime, keys.dsp.key, 'POST', `/v1/datasets/${ds.id}/versions/1/complete`, {});
  const deadline = Date.now() + 120_000;
  while (received.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  const fanned = received.splice(0);
  clearInterval(sampler);
  const nodeCpu = process.cpuUsage(cpuBefore.node);
  const dynamoCpu = cpuMsOf(dynamoPid);
  const { trips, items } = roundTrips.stop();
  const publishedAt = Date.parse(JSON.parse(fanned[0]?.body ?? '{}').publishedAt ?? new Date().toISOString());
  const last = Math.max(...fanned.map((r) => r.at));
  const first = Math.min(...fanned.map((r) => r.at));
  await runtime.settle();
  gc();
  const memoryAfter = process.memoryUsage();

  // Baseline: the same number of signed POSTs of a payload of the same size, straight to the receiver.
  const body = fanned[0]?.body ?? '{}';
  let next = 0;
  const rawStart = performance.now();
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (next < count) {
        const i = next++;
        const res = await fetch(`${base}/raw${i}`, { method: 'POST', headers: { 'content-type': 'application/json', ...signWebhook('whsec_c2VjcmV0', { id: `raw${i}`, timestamp: Math.floor(Date.now() / 1000), body }) }, body });
        await res.body?.cancel();
      }
    }),
  );
  const rawSeconds = (performance.now() - rawStart) / 1000;
  server.close();

  const fanSeconds = (last - publishedAt) / 1000;
  console.log(`\nWebhook fan-out: ${count} subscribers of one dataset (${licensees.length} licence${licensees.length > 1 ? 's' : ''}), ${PARALLEL} raw POSTs in flight`);
  console.log(`  received                                 ${fanned.length} of ${count}${fanned.length < count ? '   INCOMPLETE' : ''}${new Set(fanned.map((r) => r.path)).size < fanned.length ? '   DUPLICATES' : ''}`);
  console.log(`  complete → published (ingest)            ${(publishedAt - completedAt).toFixed(0).padStart(6)} ms`);
  console.log(`  published → first delivery               ${(first - publishedAt).toFixed(0).padStart(6)} ms`);
  console.log(`  published → last delivery                ${(last - publishedAt).toFixed(0).padStart(6)} ms   (target <= 1000 ms at 200)`);
  console.log(`  deliveries per second (access + POST)    ${(fanned.length / fanSeconds).toFixed(0).padStart(6)} /s`);
  console.log(`  raw signed POSTs per second (baseline)   ${(count / rawSeconds).toFixed(0).padStart(6)} /s`);
  console.log(`  ratio                                    ${(fanned.length / fanSeconds / (count / rawSeconds)).toFixed(2)}   (target >= 0.2)`);
  console.log(`  heap used: before, peak, after settling   ${mb(memoryBefore.heapUsed)}, ${mb(peak.heapUsed)}, ${mb(memoryAfter.heapUsed)}   (RSS ${mb(memoryBefore.rss)}, ${mb(peak.rss)}, ${mb(memoryAfter.rss)}; whole process)`);
  const perDelivery = (ms: number) => `${(ms / count).toFixed(2)} ms`;
  console.log(`  CPU per delivery: this process, DynamoDB Local   ${perDelivery((nodeCpu.user + nodeCpu.system) / 1000)}, ${dynamoCpu !== undefined && cpuBefore.dynamo !== undefined ? perDelivery(dynamoCpu - cpuBefore.dynamo) : 'n/a'}   (load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores)`);
  const total = [...trips.values()].reduce((a, b) => a + b, 0);
  const totalItems = [...items.values()].reduce((a, b) => a + b, 0);
  console.log(`  table round trips, items per delivery    ${(total / count).toFixed(2)}, ${(totalItems / count).toFixed(2)}   (whole process, until the last delivery)`);
  for (const [what, n] of [...trips].sort((a, b) => b[1] - a[1]).filter(([, n]) => n >= count / 20)) console.log(`    ${what.padEnd(48)} ${(n / count).toFixed(2)}, ${((items.get(what) ?? 0) / count).toFixed(2)}`);
  const floor = await tableFloor(count, dynamoPid);
  console.log(`  floor: ${ITEMS_PER_DELIVERY} items per delivery, raw, 100 a transaction, 2 in flight   ${floor.ms.toFixed(0).padStart(6)} ms   (DynamoDB Local CPU ${floor.cpuPerItem === undefined ? 'n/a' : `${floor.cpuPerItem.toFixed(2)} ms an item`})`);
}

/** The table's share alone: the items `count` deliveries write, raw and gathered as tightly as a transaction allows. */
async function tableFloor(count: number, dynamoPid?: number): Promise<{ ms: number; cpuPerItem?: number }> {
  const { documentClient, tableName } = await import('../functions/wiring/table.ts');
  const run = `floor-${Date.now().toString(36)}`;
  const at = new Date().toISOString();
  const all = Array.from({ length: count * ITEMS_PER_DELIVERY }, (_, i) => ({ Put: { TableName: tableName, Item: { pk: `BENCHFLOOR#${run}#${i}`, sk: 'ITEM', at, payload: 'x'.repeat(200) }, ConditionExpression: 'attribute_not_exists(pk)' } }));
  const batches = Array.from({ length: Math.ceil(all.length / 100) }, (_, i) => all.slice(i * 100, i * 100 + 100));
  const cpuBefore = cpuMsOf(dynamoPid);
  const started = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: 2 }, async () => {
    while (next < batches.length) await documentClient.send(new TransactWriteCommand({ TransactItems: batches[next++]! }));
  }));
  const ms = performance.now() - started;
  const cpuAfter = cpuMsOf(dynamoPid);
  return { ms, ...(cpuBefore !== undefined && cpuAfter !== undefined ? { cpuPerItem: (cpuAfter - cpuBefore) / all.length } : {}) };
}
