import { createHash } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { runBundledChild } from './child.ts';
import type { SchemaField } from '../schemas/index.ts';
import type { DynamoDBDocumentClient } from '../functions/adapters/dynamo/client.ts';
import { DynamoAccessStore } from '../functions/adapters/dynamo/access-store.ts';
import { DynamoCatalogueStore } from '../functions/adapters/dynamo/catalogue-store.ts';
import { DynamoContractStore } from '../functions/adapters/dynamo/contract-store.ts';
import { DynamoDatasetChangeStore } from '../functions/adapters/dynamo/dataset-change-store.ts';
import { DynamoPeopleStore } from '../functions/adapters/dynamo/people-store.ts';
import { DynamoIdentityStore } from '../functions/adapters/dynamo/identity-store.ts';
import { DynamoLicenceStore } from '../functions/adapters/dynamo/licence-store.ts';
import { S3ObjectStore } from '../functions/adapters/s3/object-store.ts';
import { AuditTrail } from '../functions/domain/audit/audit-trail.ts';
import { CatalogueService } from '../functions/domain/catalogue/catalogue-service.ts';
import { incomingKeyOf } from '../functions/domain/catalogue/storage-keys.ts';
import { VersionsService } from '../functions/domain/catalogue/versions-service.ts';
import { IdentityService } from '../functions/domain/identity/identity-service.ts';
import { systemClock, ulidGenerator } from '../functions/domain/ids.ts';

/** The generated dataset's schema: every type the validator checks. */
export const BENCH_FIELDS: SchemaField[] = [
  { name: 'station', type: 'string', required: true },
  { name: 'count', type: 'integer' },
  { name: 'value', type: 'number' },
  { name: 'measuredOn', type: 'date' },
  { name: 'active', type: 'boolean' },
  { name: 'position', type: 'geopoint' },
];

const CHUNK = 1024 * 1024;

/** A CSV of about `bytes` bytes, produced 1 MiB at a time (never held whole). */
export function generatedCsv(bytes: number): { stream: () => Readable; size: number } {
  const header = 'station,count,value,measuredOn,active,position\n';
  const row = (i: number) => `station-${i % 100000},${i % 9973},${(i % 1000) / 7},2026-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')},${i % 2 ? 'true' : 'false'},"${((i % 360) - 180) / 2}, ${((i % 180) - 90) / 2}"\n`;
  // Rows vary, so the size is measured by producing the stream once, cheaply.
  const make = function* () {
    yield Buffer.from(header);
    let produced = header.length;
    let i = 0;
    while (produced < bytes) {
      const parts: string[] = [];
      let size = 0;
      while (size < CHUNK && produced + size < bytes) {
        const r = row(i++);
        parts.push(r);
        size += r.length;
      }
      produced += size;
      yield Buffer.from(parts.join(''));
    }
  };
  let size = 0;
  for (const chunk of make()) size += chunk.length;
  return { stream: () => Readable.from(make()), size };
}

/** Streams a generated body to S3 and returns its SHA-256. */
export async function uploadGenerated(s3: S3Client, bucket: string, key: string, body: Readable): Promise<string> {
  const hash = createHash('sha256');
  // Hashed inside the stream the upload consumes, so nothing competes for the chunks.
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  await Promise.all([pipeline(body, hashing), new Upload({ client: s3, params: { Bucket: bucket, Key: key, Body: hashing }, partSize: 8 * CHUNK, queueSize: 2 }).done()]);
  return hash.digest('hex');
}

/** The baseline: one S3 GET of the object, hashed with SHA-256 as it streams. Returns MB/s. */
export async function rawGetAndHash(s3: S3Client, bucket: string, key: string): Promise<{ mbPerSecond: number; sha256: string }> {
  const started = process.hrtime.bigint();
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of out.Body as Readable) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { mbPerSecond: bytes / 1e6 / seconds, sha256: hash.digest('hex') };
}

export interface ChildIngestResult {
  readonly outcome: string;
  readonly seconds: number;
  readonly peakRssBytes: number;
}

/** Runs IngestService.ingest in a fresh Node process (bundled, no transpiler) and samples its peak RSS. */
export function ingestInChild(env: Record<string, string>, datasetId: string, version: number): Promise<ChildIngestResult> {
  return runBundledChild<ChildIngestResult>(new URL('./ingest-child.ts', import.meta.url), [datasetId, String(version)], env);
}

/** Uploads a stream through presigned part URLs as a client would, buffering one part at a time. */
export async function putParts(stream: Readable, partSize: number, urlOf: (partNumber: number) => Promise<string>): Promise<{ partNumber: number; etag: string }[]> {
  const etags: { partNumber: number; etag: string }[] = [];
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    const partNumber = etags.length + 1;
    const res = await fetch(await urlOf(partNumber), { method: 'PUT', body: Buffer.concat(pending, pendingBytes) });
    if (!res.ok) throw new Error(`part ${partNumber}: HTTP ${res.status}`);
    etags.push({ partNumber, etag: res.headers.get('etag') ?? '' });
    pending = [];
    pendingBytes = 0;
  };
  for await (const chunk of stream) {
    let c = chunk as Buffer;
    while (c.length > 0) {
      const take = Math.min(c.length, partSize - pendingBytes);
      pending.push(c.subarray(0, take));
      pendingBytes += take;
      c = c.subarray(take);
      if (pendingBytes === partSize) await flush();
    }
  }
  if (pendingBytes > 0) await flush();
  return etags;
}

export interface PreparedVersion {
  readonly datasetId: string;
  readonly version: number;
  readonly size: number;
  readonly sha256: string;
  readonly incomingKey: string;
}

/**
 * An operator's dataset with a generated CSV version of about `bytes`, uploaded part by part through
 * presigned URLs and completed, so it waits in `validating` for ingest.
 */
export async function prepareValidatingVersion(options: {
  db: DynamoDBDocumentClient;
  tableName: string;
  s3: S3Client;
  bucket: string;
  bytes: number;
}): Promise<PreparedVersion> {
  const clock = systemClock;
  const ids = ulidGenerator(clock);
  const audit = new AuditTrail({ clock, ids });
  const identityStore = new DynamoIdentityStore(options.db, options.tableName);
  const identity = new IdentityService({ store: identityStore, people: new DynamoPeopleStore(options.db, options.tableName), audit, clock, ids });
  const store = new DynamoCatalogueStore(options.db, options.tableName);
  const catalogue = new CatalogueService({ store, identity: identityStore, contracts: new DynamoContractStore(options.db, options.tableName), changes: new DynamoDatasetChangeStore(options.db, options.tableName), audit, clock, ids });
  const versions = new VersionsService({ store, contracts: new DynamoContractStore(options.db, options.tableName), variants: new DynamoAccessStore(options.db, options.tableName), licensees: new DynamoLicenceStore(options.db, options.tableName), objects: new S3ObjectStore(options.s3, options.bucket), catalogue, audit, clock });

  const boot = await identity.bootstrapTerritory({ name: 'Bench', contactEmail: 'bench@territory.example' });
  const officer = (await identity.authenticate(`Bearer ${boot!.officerKey}`))!;
  const { adminKey } = await identity.createPartner(officer, { name: 'Régie', kind: 'dsp', contactEmail: 'r@regie.example' });
  const operator = (await identity.authenticate(`Bearer ${adminKey.key}`))!;
  const dataset = await catalogue.create(operator, { title: 'Compteurs', description: 'Gros fichier', theme: 'water', keywords: [], classification: 'shared', format: 'csv', schema: { fields: BENCH_FIELDS } });

  const csv = generatedCsv(options.bytes);
  const expected = createHash('sha256');
  for await (const chunk of csv.stream()) expected.update(chunk as Buffer);
  const started = await versions.create(operator, dataset.id, { bytes: csv.size });
  if ('partSize' in started.upload) {
    const urls = new Map(started.upload.parts.map((p) => [p.partNumber, p.url]));
    const parts = await putParts(csv.stream(), started.upload.partSize, async (n) => urls.get(n) ?? (await versions.partUrls(operator, dataset.id, 1, [n])).parts[0]!.url);
    await versions.complete(operator, dataset.id, 1, { parts });
  } else {
    // Small enough for one PUT (under 64 MiB): the whole body at once, as a client would send it.
    const chunks: Buffer[] = [];
    for await (const chunk of csv.stream()) chunks.push(chunk as Buffer);
    const res = await fetch(started.upload.url, { method: 'PUT', body: Buffer.concat(chunks) });
    if (!res.ok) throw new Error(`PUT: HTTP ${res.status}`);
    await versions.complete(operator, dataset.id, 1, {});
  }
  return { datasetId: dataset.id, version: 1, size: csv.size, sha256: expected.digest('hex'), incomingKey: incomingKeyOf(dataset.id, 1) };
}
