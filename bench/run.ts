import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { hashApiKey } from '../functions/domain/identity/api-keys.ts';
import { startDynamoDbLocal } from '../infra/local/dynamodb-local.ts';
import { seedDemoTerritory } from '../infra/local/demo-territory.ts';
import { startLocalRuntime } from '../infra/local/runtime.ts';
import { startS3Emulator } from '../infra/local/s3-emulator.ts';
import { bundleSizes } from './bundles.ts';
import { benchAccess } from './access.ts';
import { benchBurst } from './burst.ts';
import { benchCliStartup } from './cli-startup.ts';
import { benchSettlement } from './settlement.ts';
import { benchFanOut } from './fanout.ts';
import { benchIngest } from './ingest.ts';
import { benchParquetConversion, benchQueryMemory, benchRecords } from './query.ts';
import { benchSequencer } from './sequencer.ts';
import { benchVariants } from './variants.ts';
import { summarize, timeIt } from './stats.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 400);
const INGEST_BYTES = Number(process.env.BENCH_INGEST_MB ?? 220) * 1024 * 1024;
const WARMUP = 100;
const BUNDLE_LIMIT = 600 * 1024;
/** BENCH_ONLY=access,fanout runs only the named parts (bundles, cli, me, access, settlement, fanout, burst, query, sequencer, ingest, conversion, query-memory, variants, transforms). */
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map((s) => s.trim())) : undefined;
const runs = (part: string): boolean => !ONLY || ONLY.has(part);

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** GET through a keep-alive agent, as a client library would. */
function httpGet(agent: Agent, url: URL, key: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers: { authorization: `Bearer ${key}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

/** GET /v1/me (authorizer + handler) against a raw GetItem, interleaved. */
async function meVersusRawGetItem(raw: DynamoDBClient, getItem: GetItemCommand, agent: Agent, url: URL, key: string): Promise<void> {
  for (let i = 0; i < WARMUP; i++) {
    await raw.send(getItem);
    if ((await httpGet(agent, url, key)) !== 200) throw new Error('GET /v1/me did not answer 200');
  }
  // Interleaved so both sides see the same machine load.
  const baseline: number[] = [];
  const me: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    baseline.push(await timeIt(() => raw.send(getItem)));
    me.push(await timeIt(() => httpGet(agent, url, key)));
  }
  const b = summarize(baseline);
  const m = summarize(me);
  console.log(`\nGET /v1/me through the local runtime (authorizer + handler), ${ROUNDS} interleaved rounds`);
  console.log(`  raw DynamoDB Local GetItem   median ${b.median.toFixed(2)} ms   p95 ${b.p95.toFixed(2)} ms`);
  console.log(`  GET /v1/me                   median ${m.median.toFixed(2)} ms   p95 ${m.p95.toFixed(2)} ms`);
  console.log(`  ratio (median)               ${(m.median / b.median).toFixed(2)}x   (target <= 3x)`);
}

async function againstTheLocalRuntime(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'comptoir-bench-'));
  const [dynamo, s3] = await Promise.all([startDynamoDbLocal(), startS3Emulator({ directory: join(dir, 's3') })]);
  try {
    const runtime = await startLocalRuntime({ dynamoEndpoint: dynamo.endpoint, s3Endpoint: s3.endpoint, tableName: 'bench', bucketName: 'bench', signingKeyPath: join(dir, 'signing-key.pem'), port: 0, allowLoopbackWebhooks: true });
    const { identityService } = await import('../functions/wiring/identity.ts');
    const keys = (await seedDemoTerritory(identityService, join(dir, 'keys.json')))!.keys;
    await runtime.settle();
    const key = keys.private.key;
    const raw = new DynamoDBClient({ endpoint: dynamo.endpoint });
    const getItem = new GetItemCommand({ TableName: 'bench', Key: { pk: { S: `APIKEY#${hashApiKey(key)}` }, sk: { S: 'APIKEY' } }, ConsistentRead: true });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const url = new URL('/v1/me', runtime.url);

    if (runs('me')) await meVersusRawGetItem(raw, getItem, agent, url, key);
    agent.destroy();
    raw.destroy();
    if (runs('access')) await benchAccess(runtime, keys, dynamo.endpoint, 'bench', ROUNDS);
    if (runs('settlement')) await benchSettlement(runtime, keys, dynamo.endpoint, 'bench', 200, dynamo.pid);
    if (runs('fanout')) for (const subscribers of (process.env.BENCH_FANOUT ?? '200,2000').split(',')) await benchFanOut(runtime, keys, Number(subscribers), dynamo.pid);
    if (runs('burst')) await benchBurst(runtime, keys);
    if (runs('query')) await benchRecords(runtime, keys, dir, Number(process.env.BENCH_QUERY_ROWS ?? 1_000_000), Number(process.env.BENCH_QUERY_ROUNDS ?? 30), dynamo.endpoint, 'bench');
    await runtime.close();
    if (runs('sequencer') || runs('ingest')) await onFreshTable(async (endpoint) => {
      if (runs('sequencer')) await benchSequencer(endpoint, Number(process.env.BENCH_SEQUENCER_EVENTS ?? 1000));
      if (runs('ingest')) await benchIngest(endpoint, dir, INGEST_BYTES);
    });
    if (runs('conversion')) await benchParquetConversion(dir, INGEST_BYTES);
    if (runs('query-memory')) await benchQueryMemory(dir, Number(process.env.BENCH_QUERY_MEMORY_MB_OF_CSV ?? 1024) * 1024 * 1024, Number(process.env.COMPTOIR_QUERY_MEMORY_MB ?? 512));
    if (runs('variants')) await benchVariants(dir, INGEST_BYTES);
    if (runs('transforms')) papaparseComparison();
  } finally {
    await Promise.all([dynamo.stop(), s3.stop()]);
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * A DynamoDB Local of its own for the parts that measure raw table throughput: the runtime's earlier parts leave
 * thousands of items and transactions behind, and DynamoDB Local slows down as they accumulate.
 */
async function onFreshTable(work: (endpoint: string) => Promise<void>): Promise<void> {
  const fresh = await startDynamoDbLocal();
  try {
    await work(fresh.endpoint);
  } finally {
    await fresh.stop();
  }
}

async function bundles(): Promise<void> {
  console.log('\nLambda bundles (esbuild, minified, SDK bundled)');
  for (const { group, bytes } of await bundleSizes()) {
    console.log(`  ${group.padEnd(12)} ${(bytes / 1024).toFixed(1).padStart(7)} KB${bytes > BUNDLE_LIMIT ? '   OVER 600 KB' : ''}`);
  }
}

/** The transformer against a straightforward papaparse pipeline, on the same generated file (its own script). */
function papaparseComparison(): void {
  console.log('\nTransforms against papaparse (in-memory chunks, each pipeline in its own process)');
  const run = spawnSync(process.execPath, ['--import', 'tsx', new URL('./transforms.ts', import.meta.url).pathname, String(Math.round(INGEST_BYTES / 1e6))], { encoding: 'utf8' });
  console.log(run.stdout.split('\n').map((l) => `  ${l}`).join('\n').trimEnd());
  if (run.status !== 0) console.log(`  (failed: ${run.stderr.slice(-500)})`);
}

if (runs('bundles')) await bundles();
if (runs('cli')) await benchCliStartup(Number(process.env.BENCH_CLI_ROUNDS ?? 20));
await againstTheLocalRuntime();
