import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3ObjectWriter } from '../adapters/s3/object-writer.ts';
import { AthenaQueryEngine } from '../adapters/athena/athena-engine.ts';
import { createAthenaClients } from '../adapters/athena/clients.ts';
import { GlueColumnarRegistry } from '../adapters/athena/glue-registry.ts';
import { DuckDbQueryEngine } from '../adapters/duckdb/duckdb-engine.ts';
import { ColumnarCopier, PublishedVersionCopies } from '../domain/query/columnar.ts';
import { SizeRoutedEngine } from '../domain/query/engine-router.ts';
import type { QueryEngine } from '../ports/query-engine.ts';
import { catalogueStore } from './catalogue-store.ts';
import { ConfigError, optionalEnv, requireEnv } from './env.ts';
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

const embedded = new DuckDbQueryEngine(objects, queryLimits);
const writer = new S3ObjectWriter(s3Client, bucketName);

/** In the cloud, copies beyond what one function holds are queried with Athena (unset locally: DuckDB serves every size). */
const athenaWorkGroup = optionalEnv('COMPTOIR_ATHENA_WORKGROUP');
const athena = athenaWorkGroup
  ? {
      workGroup: athenaWorkGroup,
      database: requireEnv('COMPTOIR_GLUE_DATABASE', 'the CDK stack (bindQueryCatalogue)'),
      localMaxBytes: positive('COMPTOIR_QUERY_LOCAL_MAX_MB', 2048) * 1024 * 1024,
      clients: createAthenaClients(),
    }
  : undefined;

/** The query engine of this process: the embedded one, routed to Athena by size where Athena is configured. */
export const queryEngine: QueryEngine = athena
  ? new SizeRoutedEngine({
      local: embedded,
      distributed: new AthenaQueryEngine(athena.clients.athena, athena.clients.glue, objects, bucketName, { workGroup: athena.workGroup, database: athena.database, timeoutMs: positive('COMPTOIR_ATHENA_TIMEOUT_MS', 25_000) }),
      objects,
      localMaxBytes: athena.localMaxBytes,
    })
  : embedded;
/** Writes the Parquet copies of versions and variants (and registers them for Athena where it is configured). */
export const columnarCopier = new ColumnarCopier({
  objects,
  writer,
  engine: queryEngine,
  ...(athena ? { registry: new GlueColumnarRegistry(athena.clients.glue, writer, bucketName, athena.database) } : {}),
});
/** The copies of published versions, made when the bus says a version was published. */
export const publishedCopies = new PublishedVersionCopies({ catalogue: catalogueStore, copier: columnarCopier, objects });
