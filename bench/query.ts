import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BatchGetItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DuckDBInstance } from '@duckdb/node-api';
import { datasetKey, versionKey } from '../functions/adapters/dynamo/keys.ts';
import { DuckDbQueryEngine } from '../functions/adapters/duckdb/duckdb-engine.ts';
import { columnsOf, parquetKeyOf } from '../functions/domain/query/columnar.ts';
import { parseQuery } from '../functions/domain/query/grammar.ts';
import { compilePage } from '../functions/domain/query/sql.ts';
import type { ObjectStore } from '../functions/ports/object-store.ts';
import type { DemoKeys } from '../infra/local/demo-territory.ts';
import type { LocalRuntime } from '../infra/local/runtime.ts';
import { runBundledChild } from './child.ts';
import { BENCH_FIELDS, generatedCsv } from './ingest-harness.ts';
import { summarize, timeIt } from './stats.ts';

const MB = 1024 * 1024;
/** The product's default engine budget, the same for the baseline. */
const LIMITS = { memoryMb: Number(process.env.COMPTOIR_QUERY_MEMORY_MB ?? 512), threads: Number(process.env.COMPTOIR_QUERY_THREADS ?? 2) };

const rawDuckDb = () => DuckDBInstance.create(':memory:', { memory_limit: `${LIMITS.memoryMb}MB`, threads: String(LIMITS.threads) });

/** The columnar copy at ingest (`toParquet`, typed from the Table Schema) against DuckDB's own CSV-to-Parquet COPY of the same file. */
export async function benchParquetConversion(dir: string, bytes: number): Promise<void> {
  const work = join(dir, 'query-conversion');
  await mkdir(work, { recursive: true });
  const csv = join(work, 'source.csv');
  const generated = generatedCsv(bytes);
  await pipeline(generated.stream(), createWriteStream(csv));
  const engine = new DuckDbQueryEngine({} as ObjectStore, { ...LIMITS, timeoutMs: 600_000, workDir: join(work, 'engine') });
  const raw = await rawDuckDb();
  const baseline = async () => {
    const c = await raw.connect();
    await c.run(`COPY (SELECT * FROM read_csv('${csv}', header = true)) TO '${join(work, 'raw.parquet')}' (FORMAT parquet, COMPRESSION zstd)`);
    c.closeSync();
  };
  const copy = () => engine.toParquet(createReadStream(csv), 'csv', columnsOf(BENCH_FIELDS), (parquet) => pipeline(parquet, createWriteStream(join(work, 'copy.parquet'))));
  // Alternated, twice each, so both see the same machine.
  const b: number[] = [];
  const s: number[] = [];
  for (let i = 0; i < 2; i++) {
    b.push(await timeIt(baseline));
    s.push(await timeIt(copy));
  }
  const [bm, sm] = [Math.min(...b), Math.min(...s)];
  const size = (await stat(join(work, 'copy.parquet'))).size;
  console.log(`\nParquet copy of the generated ${(generated.size / MB).toFixed(0)} MiB CSV (${LIMITS.threads} threads, ${LIMITS.memoryMb} MB), best of 2 alternated`);
  console.log(`  DuckDB COPY read_csv → parquet ${(bm / 1000).toFixed(1).padStart(6)} s`);
  console.log(`  columnar copy (typed, metadata) ${(sm / 1000).toFixed(1).padStart(6)} s   → ${(size / MB).toFixed(0)} MiB`);
  console.log(`  ratio (raw time / copy time)   ${(bm / sm).toFixed(2)}   (target >= 0.5)`);
  await rm(work, { recursive: true, force: true });
}

/** Records queries through the local runtime against the same compiled statement on the same Parquet file in this process. */
export async function benchRecords(runtime: LocalRuntime, keys: DemoKeys, dir: string, rows: number, rounds: number, dynamoEndpoint: string, tableName: string): Promise<void> {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(runtime.url + path, { method, headers: { authorization: `Bearer ${keys.dsp.key}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
    return (await res.json()) as Record<string, any>;
  };
  // About 55 bytes a row: sized to `rows` rows.
  const generated = generatedCsv(rows * 55);
  const ds = await call('POST', '/v1/datasets', { title: 'Relevés (bench)', description: 'Relevés générés', theme: 'environment', classification: 'open', format: 'csv', schema: { fields: BENCH_FIELDS } });
  const started = await call('POST', `/v1/datasets/${ds.id}/versions`, { bytes: generated.size });
  if (!started.upload?.url) throw new Error(`no single upload URL for ${generated.size} bytes: ${JSON.stringify(started).slice(0, 300)}`);
  const put = await fetch(started.upload.url, { method: 'PUT', body: Readable.toWeb(generated.stream()) as ReadableStream, duplex: 'half', headers: { 'content-length': String(generated.size) } } as RequestInit);
  if (!put.ok) throw new Error(`upload refused: ${put.status}`);
  await call('POST', `/v1/datasets/${ds.id}/versions/1/complete`, {});
  await runtime.settle();
  const { catalogueStore } = await import('../functions/wiring/catalogue-store.ts');
  const { objectStore } = await import('../functions/wiring/storage.ts');
  const { queryEngine } = await import('../functions/wiring/query-engine.ts');
  const version = await catalogueStore.getVersion(ds.id, 1);
  if (version?.status !== 'published' || !version.objectKey) throw new Error(`version not published: ${version?.status}`);
  const file = join(dir, 'records-bench.parquet');
  await pipeline((await objectStore.read(parquetKeyOf(version.objectKey))).body, createWriteStream(file));

  const raw = await rawDuckDb();
  const columns = columnsOf(BENCH_FIELDS);
  // The statement the engine runs over this copy, in the dialect its metadata names.
  const dialect = await queryEngine.dialectFor({ key: parquetKeyOf(version.objectKey) });
  // What confirming the table costs at least: the dataset and its version in one consistent read, raw.
  const table = new DynamoDBClient({ endpoint: dynamoEndpoint });
  const confirmRead = new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: [datasetKey(ds.id), versionKey(ds.id, 1)].map(({ pk, sk }) => ({ pk: { S: pk }, sk: { S: sk } })), ConsistentRead: true } } });
  const queries: [string, Record<string, string>][] = [
    ['filtered page of 1,000 rows', { active__exact: 'true', value__greater: '50', limit: '1000' }],
    ['group-by (336 groups)', { group_by: 'measuredOn', aggregate: 'count,avg(value),max(count)', limit: '1000' }],
  ];
  console.log(`\nRecords queries over a ${rows.toLocaleString('en')}-row open version (${(generated.size / MB).toFixed(0)} MiB CSV), ${rounds} interleaved rounds`);
  for (const [name, params] of queries) {
    const compiled = compilePage(parquetKeyOf(version.objectKey), parseQuery(params, columns), undefined, dialect);
    const baseline = async () => {
      const c = await raw.connect();
      const reader = await c.runAndReadAll(compiled.sql, [file, ...compiled.params]);
      reader.getRowObjectsJson();
      c.closeSync();
    };
    const url = `${runtime.url}/open/datasets/${ds.id}/records?${new URLSearchParams(params)}`;
    const viaApi = async () => {
      const res = await fetch(url);
      const body = (await res.json()) as { records?: unknown[] };
      if (res.status !== 200 || !body.records?.length) throw new Error(`records answered ${res.status}`);
    };
    const floor = () => Promise.all([baseline(), table.send(confirmRead)]);
    for (let i = 0; i < 3; i++) {
      await baseline();
      await viaApi();
      await floor();
    }
    const b: number[] = [];
    const a: number[] = [];
    const f: number[] = [];
    for (let i = 0; i < rounds; i++) {
      b.push(await timeIt(baseline));
      a.push(await timeIt(viaApi));
      f.push(await timeIt(floor));
    }
    const [sb, sa, sf] = [summarize(b), summarize(a), summarize(f)];
    console.log(`  ${name}`);
    console.log(`    DuckDB on the Parquet file       median ${sb.median.toFixed(1).padStart(7)} ms   p95 ${sb.p95.toFixed(1)} ms`);
    console.log(`    GET /open/datasets/{id}/records  median ${sa.median.toFixed(1).padStart(7)} ms   p95 ${sa.p95.toFixed(1)} ms`);
    console.log(`    ratio (median)                   ${(sa.median / sb.median).toFixed(2)}x   (target <= 1.5x)`);
    console.log(`    floor: the statement ∥ a raw consistent BatchGetItem of the dataset and its version`);
    console.log(`                                     median ${sf.median.toFixed(1).padStart(7)} ms   ratio ${(sf.median / sb.median).toFixed(2)}x`);
  }
  table.destroy();
  await rm(file, { force: true });
}

/** Peak memory of the engine on a large version: its copy, then queries and a whole export, each alone in a process under the configured limit. */
export async function benchQueryMemory(dir: string, bytes: number, memoryMb: number): Promise<void> {
  const work = join(dir, 'query-memory');
  await mkdir(work, { recursive: true });
  const csv = join(work, 'large.csv');
  const generated = generatedCsv(bytes);
  await pipeline(generated.stream(), createWriteStream(csv));
  type Outcome = { seconds: number; rows: number; peakRssBytes: number };
  const child = new URL('./query-child.ts', import.meta.url);
  const converted = await runBundledChild<Outcome>(child, ['convert', csv, String(memoryMb)]);
  await rm(csv, { force: true });
  const queried = await runBundledChild<Outcome>(child, ['query', `${csv}.parquet`, String(memoryMb)]);
  console.log(`\nThe engine on a ${(generated.size / MB).toFixed(0)} MiB CSV version (${converted.rows.toLocaleString('en')} rows), memory limit ${memoryMb} MB, each step in its own process`);
  console.log(`  columnar copy            ${converted.seconds.toFixed(1).padStart(6)} s   peak RSS ${(converted.peakRssBytes / MB).toFixed(0).padStart(5)} MiB`);
  console.log(`  page, group-by (${'100,000'} groups), sort of every row, whole CSV export`);
  console.log(`                           ${queried.seconds.toFixed(1).padStart(6)} s   peak RSS ${(queried.peakRssBytes / MB).toFixed(0).padStart(5)} MiB`);
  // What the process holds beyond the engine's limit (Node.js, the SDK, DuckDB's own structures) does not grow with the version.
  console.log(`  beyond the ${memoryMb} MB limit          copy ${((converted.peakRssBytes / MB) - memoryMb).toFixed(0)} MiB, queries ${((queried.peakRssBytes / MB) - memoryMb).toFixed(0)} MiB   (bounded: compare runs with COMPTOIR_QUERY_MEMORY_MB and BENCH_QUERY_MEMORY_MB_OF_CSV)`);
  await rm(work, { recursive: true, force: true });
}
