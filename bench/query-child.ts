// The query engine alone in a process, so its peak memory is read alone: a columnar copy, or queries over one.
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DuckDbQueryEngine } from '../functions/adapters/duckdb/duckdb-engine.ts';
import { columnsOf } from '../functions/domain/query/columnar.ts';
import { parseQuery } from '../functions/domain/query/grammar.ts';
import { compileExport, compilePage } from '../functions/domain/query/sql.ts';
import type { ObjectStore } from '../functions/ports/object-store.ts';
import { BENCH_FIELDS } from './ingest-harness.ts';

/** Storage as a directory of files: what the engine reads through the port, without a server in the process. */
const filesIn = (dir: string) =>
  ({
    head: async (key: string) => stat(join(dir, key)).then((s) => ({ size: s.size, etag: String(s.mtimeMs) }), () => undefined),
    read: async (key: string) => ({ body: createReadStream(join(dir, key)) }),
  }) as unknown as ObjectStore;

async function main(): Promise<void> {
  const [mode, source, memoryMb] = process.argv.slice(2) as ['convert' | 'query', string, string];
  const engine = new DuckDbQueryEngine(filesIn(dirname(source)), { memoryMb: Number(memoryMb), threads: 2, timeoutMs: 600_000, workDir: join(dirname(source), `engine-${mode}`) });
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
  const started = process.hrtime.bigint();
  const columns = columnsOf(BENCH_FIELDS);
  let rows = 0;
  if (mode === 'convert') {
    ({ rows } = await engine.toParquet(createReadStream(source), 'csv', columns, (parquet) => pipeline(parquet, createWriteStream(`${source}.parquet`))));
  } else {
    const table = { key: basename(source) };
    const dialect = await engine.dialectFor(table);
    const page = (params: Record<string, string>) => engine.query(table, compilePage(table.key, parseQuery(params, columns), undefined, dialect));
    rows += (await page({ active__exact: 'true', value__greater: '50', limit: '1000' })).rows.length;
    rows += (await page({ group_by: 'station', aggregate: 'count,avg(value)', order_by: '-count', limit: '1000' })).rows.length;
    rows += (await page({ order_by: '-value,station', limit: '1000' })).rows.length;
    // The whole table out as CSV: written to disk by the engine, streamed out.
    await engine.export(table, compileExport(parseQuery({}, columns), columns, 'csv', dialect), 'csv', (bytes) => pipeline(bytes, new Writable({ write: (_c, _e, done) => done() })));
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(sampler);
  console.log(JSON.stringify({ seconds, rows, peakRssBytes: Math.max(peak, process.memoryUsage.rss(), process.resourceUsage().maxRSS * 1024) }));
}

void main();
