import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3ObjectWriter } from '../adapters/s3/object-writer.ts';
import { DuckDbQueryEngine } from '../adapters/duckdb/duckdb-engine.ts';
import { ColumnarCopier, PublishedVersionCopies } from '../domain/query/columnar.ts';
import { catalogueStore } from './catalogue-store.ts';
import { ConfigError, optionalEnv } from './env.ts';
import { bucketName, objectStore as objects, s3Client } from './storage.ts';

function positive(name: string, fallback: number): number {
  const text = optionalEnv(name);
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`${name} must be a positive integer (got "${text}")`);
  return n;
}

/** The engine's budget: memory (MB), threads and statement time (ms), checked once at load. */
export const queryLimits = {
  memoryMb: positive('COMPTOIR_QUERY_MEMORY_MB', 512),
  threads: positive('COMPTOIR_QUERY_THREADS', 2),
  timeoutMs: positive('COMPTOIR_QUERY_TIMEOUT_MS', 10_000),
  workDir: optionalEnv('COMPTOIR_QUERY_DIR') ?? join(tmpdir(), 'comptoir-query'),
};

/** The embedded query engine of this process. */
export const queryEngine = new DuckDbQueryEngine(objects, queryLimits);
/** Writes the Parquet copies of versions and variants. */
export const columnarCopier = new ColumnarCopier({ objects, writer: new S3ObjectWriter(s3Client, bucketName), engine: queryEngine });
/** The copies of published versions, made when the bus says a version was published. */
export const publishedCopies = new PublishedVersionCopies({ catalogue: catalogueStore, copier: columnarCopier, objects });
