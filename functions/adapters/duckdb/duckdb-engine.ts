import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { BoundedCache } from '../../domain/bounded-cache.ts';
import { DependencyError, InvalidRequestError } from '../../domain/errors.ts';
import { geojsonToRows } from '../../domain/query/geojson-rows.ts';
import { ColumnarCopyMissingError, QueryLimitError } from '../../domain/query/errors.ts';
import { DUCKDB_DIALECT, DUCKDB_FILE_ROWS_DIALECT } from '../../domain/query/sql.ts';
import type { ObjectStore } from '../../ports/object-store.ts';
import type { ColumnSpec, CompiledQuery, CopyOptions, ExportFormat, ParquetObject, QueryEngine, QueryRows, SqlDialect, TabularFormat } from '../../ports/query-engine.ts';
import { literal } from './sql-text.ts';
import { type CopyReading, FILE_ROWS_METADATA, parquetCopySql, readerTypes } from './typed-columns.ts';

/** The limits every statement runs within. */
export interface EngineLimits {
  readonly memoryMb: number;
  readonly threads: number;
  readonly timeoutMs: number;
  /** Where local copies live (the function's ephemeral storage). */
  readonly workDir: string;
}

/** A copy's columns, and the dialect its rows are numbered in. */
interface Described {
  readonly columns: ColumnSpec[];
  readonly dialect: SqlDialect;
}

const INTEGER_TYPES = new Set(['BIGINT', 'HUGEINT', 'UBIGINT', 'UHUGEINT']);

/** DuckDB embedded: one instance per process, one connection per statement, limits set once. */
export class DuckDbQueryEngine implements QueryEngine {
  private instance?: Promise<DuckDBInstance>;
  /** Downloads in flight, so concurrent queries of one object fetch it once. */
  private readonly fetching = new Map<string, Promise<string>>();
  /** Where each copy was last fetched: a copy's key names immutable bytes, so a minute without asking storage is safe. */
  private readonly located = new BoundedCache<string, string>(1000, { ttlMs: 60_000 });
  /** This engine's own directory name under `cache/` and `spill/`: its process, then itself (tests run several). */
  private readonly own = `${process.pid}-${randomUUID().slice(0, 8)}`;
  /** Sweeps once what engines of ended processes left (a laptop's runtime restarted, a test run killed). */
  private swept?: Promise<void>;
  /** What each local copy describes, by its path (which carries its ETag). */
  private readonly descriptions = new BoundedCache<string, Described>(1000);

  constructor(
    private readonly objects: ObjectStore,
    private readonly limits: EngineLimits,
  ) {}

  async toParquet(source: Readable, format: TabularFormat, columns: readonly ColumnSpec[], sink: (parquet: Readable) => Promise<void>, options: CopyOptions = {}): Promise<{ rows: number }> {
    const dir = await this.scratch();
    const files = { source: join(dir, `${randomUUID()}.${format === 'csv' ? 'csv' : 'ndjson'}`), intermediate: join(dir, `${randomUUID()}.typed.parquet`), target: join(dir, `${randomUUID()}.parquet`) };
    try {
      // The engine reads local files: the source goes to ephemeral storage first, streamed.
      if (format === 'geojson') await pipeline(source, geojsonToRows(), createWriteStream(files.source));
      else await pipeline(source, createWriteStream(files.source));
      const sql = (reading: CopyReading) => parquetCopySql(format, files, columns, { reading, rowColumn: options.rowColumn ?? false });
      // The raw file goes as soon as it is read: ephemeral storage holds at most two of the three files.
      const rows = await this.copyStatements(sql, readerTypes(format, columns), () => rm(files.source, { force: true }));
      await rm(files.intermediate, { force: true });
      await sink(createReadStream(files.target));
      return { rows };
    } finally {
      await Promise.all(Object.values(files).map((f) => rm(f, { force: true })));
    }
  }

  /**
   * Runs a copy's statements and answers the rows the last one wrote (COPY counts them: no other pass over the file).
   * The first reads the raw file: by the CSV reader's own types when it can, else by casts from text.
   */
  private async copyStatements(sql: (reading: CopyReading) => string[], byReader: boolean, read: () => Promise<void>): Promise<number> {
    const run = (statement: string) => this.withConnection((c) => c.runAndReadAll(statement), false);
    let statements = sql(byReader ? 'reader' : 'text');
    let last = await run(statements[0]!).catch((error: unknown) => {
      if (!byReader) throw error;
      // A value the reader does not type as ingest read it (a decimal comma, a malformed date): the casts decide.
      statements = sql('text');
      return run(statements[0]!);
    });
    await read();
    for (const statement of statements.slice(1)) last = await run(statement);
    return Number(last.getRows()[0]?.[0] ?? 0);
  }

  async dialectFor(table: ParquetObject): Promise<SqlDialect> {
    return (await this.described(table)).dialect;
  }

  async columns(table: ParquetObject): Promise<ColumnSpec[]> {
    return (await this.described(table)).columns;
  }

  /** The columns a copy's metadata describes, and whether its rows carry their number or the reader numbers them. */
  private async described(table: ParquetObject): Promise<Described> {
    // What a copy fetched lately describes is known without looking for its file (its path carries its ETag).
    const located = this.located.get(table.key);
    const cached = located === undefined ? undefined : this.descriptions.get(located);
    if (cached) return cached;
    const path = await this.local(table);
    const known = this.descriptions.get(path);
    if (known) return known;
    const reader = await this.withConnection((c) => c.runAndReadAll(`SELECT decode(key) AS k, decode(value) AS v FROM parquet_kv_metadata($1) WHERE decode(key) IN ('comptoir.schema', '${FILE_ROWS_METADATA.key}')`, [path]));
    const metadata = new Map(reader.getRowObjectsJson().map((r) => [r.k, r.v]));
    const text = metadata.get('comptoir.schema');
    if (typeof text !== 'string') throw new ColumnarCopyMissingError(table.key);
    const described = { columns: JSON.parse(text) as ColumnSpec[], dialect: metadata.get(FILE_ROWS_METADATA.key) === FILE_ROWS_METADATA.value ? DUCKDB_FILE_ROWS_DIALECT : DUCKDB_DIALECT };
    this.descriptions.set(path, described);
    return described;
  }

  async query(table: ParquetObject, query: CompiledQuery): Promise<QueryRows> {
    const path = await this.local(table);
    const reader = await this.withConnection((c) => c.runAndReadAll(query.sql, [path, ...query.params]));
    const columns = reader.columnNames();
    const types = reader.columnTypes().map(String);
    // Rows as arrays, each made an object once: a thousand rows a page, so no intermediate object per row.
    const rows = reader.getRowsJson().map((values) => {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < columns.length; i++) {
        const v = values[i];
        out[columns[i]!] = typeof v === 'string' ? jsonValue(v, types[i]!) : v;
      }
      return out;
    });
    return { columns, rows };
  }

  async export(table: ParquetObject, query: CompiledQuery, format: ExportFormat, sink: (bytes: Readable) => Promise<void>): Promise<void> {
    const path = await this.local(table);
    const out = join(await this.scratch(), `${randomUUID()}.${format}`);
    const options = format === 'csv' ? 'FORMAT csv, HEADER true' : format === 'ndjson' ? 'FORMAT json' : 'FORMAT parquet, COMPRESSION zstd';
    try {
      // The engine writes the answer to disk as it runs; the file is then streamed out, so memory stays bounded.
      await this.withConnection((c) => c.run(`COPY (${query.sql}) TO ${literal(out)} (${options})`, [path, ...query.params]));
      await sink(createReadStream(out));
    } finally {
      await rm(out, { force: true });
    }
  }

  /** The local copy of a Parquet object, fetched once per ETag. */
  private async local(table: ParquetObject): Promise<string> {
    const known = this.located.get(table.key);
    // The disk cache keeps one copy at a time: what it evicted is fetched again.
    if (known && (await stat(known).then(() => true, () => false))) return known;
    const path = await this.fetched(table);
    this.located.set(table.key, path);
    return path;
  }

  private async fetched(table: ParquetObject): Promise<string> {
    const head = await this.objects.head(table.key);
    if (!head) throw new ColumnarCopyMissingError(table.key);
    const name = createHash('sha256').update(`${table.key}\u0000${head.etag}`).digest('hex').slice(0, 40);
    const dir = await this.ownDirectory('cache');
    const path = join(dir, `${name}.parquet`);
    if (await stat(path).then(() => true, () => false)) return path;
    const pending = this.fetching.get(path) ?? this.fetch(table.key, dir, path);
    this.fetching.set(path, pending);
    try {
      return await pending;
    } finally {
      this.fetching.delete(path);
    }
  }

  /** Fetches a copy into `dir`, this engine's own cache directory (`ownDirectory` made it). */
  private async fetch(key: string, dir: string, path: string): Promise<string> {
    const partial = `${path}.${randomUUID()}.part`;
    try {
      const { body } = await this.objects.read(key);
      await pipeline(body, createWriteStream(partial));
      await rename(partial, path);
    } finally {
      await rm(partial, { force: true });
    }
    await this.evictBeside(dir, path);
    return path;
  }

  /** Keeps the cache small: only the newest copy fetched stays besides those being written. */
  private async evictBeside(dir: string, keep: string): Promise<void> {
    const names = await readdir(dir).catch(() => [] as string[]);
    await Promise.all(names.filter((n) => n.endsWith('.parquet')).map((n) => join(dir, n)).filter((p) => p !== keep && !this.fetching.has(p)).map((p) => rm(p, { force: true })));
  }

  /** This engine's directory under `cache/` or `spill/`, made once what ended processes left there is gone. */
  private async ownDirectory(kind: 'cache' | 'spill'): Promise<string> {
    this.swept ??= Promise.all((['cache', 'spill'] as const).map((k) => sweepEnded(join(this.limits.workDir, k), this.own))).then(() => undefined);
    await this.swept;
    const dir = join(this.limits.workDir, kind, this.own);
    await mkdir(dir, { recursive: true });
    return dir;
  }

  private async scratch(): Promise<string> {
    const dir = join(this.limits.workDir, 'scratch');
    await mkdir(dir, { recursive: true });
    return dir;
  }

  private db(): Promise<DuckDBInstance> {
    // Loaded on first use: functions that never query do not load the native module. Its own spill directory:
    // DuckDB names its temporary files alike in every process, and makes one level of directory only.
    this.instance ??= Promise.all([this.ownDirectory('spill'), import('@duckdb/node-api')]).then(([spill, { DuckDBInstance }]) => DuckDBInstance.create(':memory:', {
      memory_limit: `${this.limits.memoryMb}MB`,
      threads: String(this.limits.threads),
      temp_directory: spill,
      // Nothing is fetched at run time: no extension is installed or loaded automatically.
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    }));
    return this.instance;
  }

  /** Runs one statement on its own connection; `timed` statements are interrupted after the time limit. */
  private async withConnection<T>(fn: (c: DuckDBConnection) => Promise<T>, timed = true): Promise<T> {
    const connection = await (await this.db()).connect();
    let interrupted = false;
    // Past the limit, interrupt until the statement ends: an interrupt sent before it starts would be lost.
    let repeat: NodeJS.Timeout | undefined;
    const timer = timed
      ? setTimeout(() => {
          interrupted = true;
          connection.interrupt();
          repeat = setInterval(() => connection.interrupt(), 20);
        }, this.limits.timeoutMs)
      : undefined;
    try {
      return await fn(connection);
    } catch (error) {
      throw translate(error, interrupted, this.limits);
    } finally {
      if (timer) clearTimeout(timer);
      if (repeat) clearInterval(repeat);
      connection.closeSync();
    }
  }
}

/** Removes what engines of ended processes left under `base` (their directories, and files of the layout before them). */
async function sweepEnded(base: string, own: string): Promise<void> {
  const entries = await readdir(base).catch(() => [] as string[]);
  await Promise.all(entries.filter((name) => name !== own && !running(Number(name.split('-')[0]))).map((name) => rm(join(base, name), { recursive: true, force: true })));
}

/** True while process `pid` runs (signal 0 only asks; EPERM means it runs as another user). */
function running(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid < 1) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** JSON numbers for integers that fit (larger ones stay exact as strings); ISO 8601 instants. */
function jsonValue(v: string, type: string): unknown {
  if (INTEGER_TYPES.has(type)) return Number.isSafeInteger(Number(v)) ? Number(v) : v;
  if (type === 'TIMESTAMP WITH TIME ZONE') return v.replace(' ', 'T').replace(/\+00$/, 'Z');
  return v;
}

/** Engine errors as domain errors: limits are the caller's to respect, bad values are the caller's input. */
function translate(error: unknown, interrupted: boolean, limits: EngineLimits): Error {
  if (error instanceof ColumnarCopyMissingError) return error;
  const message = (error as Error)?.message ?? String(error);
  if (interrupted || /^INTERRUPT Error/i.test(message)) {
    return new QueryLimitError(`the query ran longer than ${limits.timeoutMs} ms; narrow it with filters or a smaller limit`, { cause: error });
  }
  if (/^Out of Memory Error/i.test(message)) {
    return new QueryLimitError(`the query needs more than the ${limits.memoryMb} MB it may use; narrow it with filters or group by fewer columns`, { cause: error });
  }
  if (/^(Conversion|Invalid Input) Error/i.test(message)) return new InvalidRequestError(`a value does not fit its column: ${message.split('\n')[0]}`, { cause: error });
  return new DependencyError('the query engine failed', { cause: error });
}
