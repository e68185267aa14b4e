import { randomUUID } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { DynamoDBClient, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { PENDING_REQUEST_CAPS } from '../functions/domain/licences/request-caps.ts';
import type { DemoKeys } from '../infra/local/demo-territory.ts';
import type { LocalRuntime } from '../infra/local/runtime.ts';
import { cpuMsOf } from './fanout.ts';
import { RoundTrips } from './round-trips.ts';

const CONCURRENCY = 8;
/** Signatures and raw transactions alternate by this many. */
const SLICE = 25;

async function call(runtime: LocalRuntime, key: string, method: string, path: string, body?: unknown) {
  const res = await fetch(runtime.url + path, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
  return (await res.json()) as Record<string, any>;
}

/** Runs `work` over `items` with a fixed number in flight; returns the elapsed seconds. */
async function pooled<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** Priced signatures per second through the HTTP API against raw TransactWriteItems of the same shape. */
export async function benchSettlement(runtime: LocalRuntime, keys: DemoKeys, dynamoEndpoint: string, tableName: string, count: number, dynamoPid?: number): Promise<void> {
  const ds = await call(runtime, keys.dsp.key, 'POST', '/v1/datasets', { title: 'Comptages', description: 'x', theme: 'mobility', classification: 'shared', format: 'csv', schema: { fields: [{ name: 'n', type: 'integer' }] } });
  // A partner may leave only so many requests waiting: the requests are spread over firms and offers.
  const { perOffer, total } = PENDING_REQUEST_CAPS;
  const offers: string[] = [];
  for (let i = 0; i < Math.ceil(Math.min(count, total) / perOffer); i++) {
    offers.push((await call(runtime, keys.dsp.key, 'POST', '/v1/offers', { datasetId: ds.id, template: 'territorial-restricted', price: { credits: 10 }, audience: ['private'] })).id);
  }
  const firms: string[] = [];
  for (let i = 0; i < Math.ceil(count / total); i++) {
    const firm = await call(runtime, keys.officer.key, 'POST', '/v1/partners', { name: `Firme de mesure ${i + 1}`, kind: 'private', contactEmail: `mesure${i + 1}@firme.example` });
    await call(runtime, keys.officer.key, 'POST', '/v1/ledger/grants', { partnerId: firm.partner.id, credits: 10 * total });
    firms.push(firm.adminKey.key);
  }
  const licences: { id: string; key: string }[] = [];
  for (let i = 0; i < count; i++) {
    const key = firms[Math.floor(i / total)]!;
    licences.push({ id: (await call(runtime, key, 'POST', '/v1/licences', { offerId: offers[Math.floor((i % total) / perOffer)], purpose: 'planning' })).id, key });
  }

  // The same writes without the API: licence update, its two state pointers moved, the pending slot given back, one duty, escrow hold, two balances, two entries, outbox.
  const raw = new DynamoDBClient({ endpoint: dynamoEndpoint });
  const S = (v: string) => ({ S: v });
  const shape = () => {
    const id = randomUUID();
    return new TransactWriteItemsCommand({
      TransactItems: [
        { Put: { TableName: tableName, Item: { pk: S(`RAWLIC#${id}`), sk: S('LICENCE'), state: S('active'), doc: S('x'.repeat(3000)) } } },
        ...['licensor', 'licensee'].flatMap((p) => [
          { Delete: { TableName: tableName, Key: { pk: S(`RAWPARTY#${p}#awaiting_signature`), sk: S(id) } } },
          { Put: { TableName: tableName, Item: { pk: S(`RAWPARTY#${p}#active`), sk: S(id), licenceId: S(id) } } },
        ]),
        ...['OFFER', 'TOTAL'].map((sk) => ({ Update: { TableName: tableName, Key: { pk: S('RAWPENDING#payer'), sk: S(sk) }, UpdateExpression: 'ADD pending :m', ExpressionAttributeValues: { ':m': { N: '-1' } } } })),
        { Put: { TableName: tableName, Item: { pk: S(`RAWLIC#${id}`), sk: S('DUTY#delete-on-expiry'), status: S('open') } } },
        { Put: { TableName: tableName, Item: { pk: S(`RAWESC#${id}`), sk: S('ESCROW'), amount: { N: '10' } } } },
        { Update: { TableName: tableName, Key: { pk: S('RAWACC#payer'), sk: S('BALANCE') }, UpdateExpression: 'ADD balance :m', ExpressionAttributeValues: { ':m': { N: '-10' } } } },
        { Update: { TableName: tableName, Key: { pk: S(`RAWACC#${id}`), sk: S('BALANCE') }, UpdateExpression: 'ADD balance :p', ExpressionAttributeValues: { ':p': { N: '10' } } } },
        { Put: { TableName: tableName, Item: { pk: S('RAWACC#payer'), sk: S(`ENTRY#${id}`), amount: { N: '-10' } } } },
        { Put: { TableName: tableName, Item: { pk: S(`RAWACC#${id}`), sk: S(`ENTRY#${id}`), amount: { N: '10' } } } },
        { Put: { TableName: tableName, Item: { pk: S(`RAWOUT#${id}`), sk: S('OUTBOX'), body: S('x'.repeat(600)) } } },
      ],
    });
  };
  // The raw side has its own client: only the runtime's requests (handlers, authorizer, audit sequencer) are counted.
  const roundTrips = RoundTrips.of((await import('../functions/wiring/table.ts')).documentClient);
  await runtime.settle();
  roundTrips.start();
  // Interleaved in slices, so both sides see the same machine load.
  let failures = 0;
  let httpSeconds = 0;
  let rawSeconds = 0;
  // CPU of this process (runtime and bench client) and of DynamoDB Local, per side: which one runs out first.
  const cpu = { http: { node: 0, dynamo: 0 }, raw: { node: 0, dynamo: 0 } };
  const measured = async (side: keyof typeof cpu, work: () => Promise<number>) => {
    const node = process.cpuUsage();
    const dynamo = cpuMsOf(dynamoPid) ?? NaN;
    const seconds = await work();
    const used = process.cpuUsage(node);
    cpu[side].node += (used.user + used.system) / 1000;
    cpu[side].dynamo += (cpuMsOf(dynamoPid) ?? NaN) - dynamo;
    return seconds;
  };
  for (let from = 0; from < licences.length; from += SLICE) {
    const slice = licences.slice(from, from + SLICE);
    httpSeconds += await measured('http', () =>
      pooled(slice, async ({ id, key }) => {
        const signed = await call(runtime, key, 'POST', `/v1/licences/${id}/sign`);
        if (signed.state !== 'active') failures += 1;
      }),
    );
    rawSeconds += await measured('raw', () =>
      pooled(slice, async () => {
        await raw.send(shape());
      }),
    );
  }
  raw.destroy();
  await runtime.settle();
  const { trips, items } = roundTrips.stop();
  const http = count / httpSeconds;
  const base = count / rawSeconds;
  console.log(`\nSettlement: ${count} priced signatures, ${CONCURRENCY} in flight, interleaved with the raw transactions by ${SLICE}`);
  console.log(`  raw TransactWriteItems (same 14 items)  ${base.toFixed(0).padStart(6)} /s`);
  console.log(`  POST /v1/licences/{id}/sign (HTTP)      ${http.toFixed(0).padStart(6)} /s${failures ? `   (${failures} not active!)` : ''}`);
  console.log(`  ratio                                   ${(http / base).toFixed(2)}   (target >= 0.8)`);
  const ms = (v: number) => `${(v / count).toFixed(1)} ms`;
  console.log(`  CPU per signature: this process, DynamoDB Local         ${ms(cpu.http.node)}, ${ms(cpu.http.dynamo)}   (load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores)`);
  console.log(`  CPU per raw transaction: this process, DynamoDB Local   ${ms(cpu.raw.node)}, ${ms(cpu.raw.dynamo)}`);
  const requests = [...trips.values()].reduce((a, b) => a + b, 0);
  const requestItems = [...items.values()].reduce((a, b) => a + b, 0);
  console.log(`  table requests, items per signature     ${(requests / count).toFixed(2)}, ${(requestItems / count).toFixed(2)}   (whole runtime, audit sequencer included)`);
  for (const [what, n] of [...trips].sort((a, b) => b[1] - a[1]).filter(([, n]) => n >= count / 20)) console.log(`    ${what.padEnd(48)} ${(n / count).toFixed(2)}, ${((items.get(what) ?? 0) / count).toFixed(2)}`);
}
