import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { createDocumentClient } from '../functions/adapters/dynamo/client.ts';
import { ensureTable } from '../functions/adapters/provisioning.ts';
import { createS3Client } from '../functions/adapters/s3/client.ts';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ingestInChild, prepareValidatingVersion, rawGetAndHash } from './ingest-harness.ts';

const MB = 1024 * 1024;

/** The S3 emulator in a child process, so the measured process does not serve the bytes too. */
export async function startS3Child(dir: string): Promise<{ endpoint: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '--import', 'tsx', new URL('./s3-child.ts', import.meta.url).pathname, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve((JSON.parse(d.toString()) as { endpoint: string }).endpoint));
    child.once('exit', (code) => reject(new Error(`S3 emulator child exited with ${code}`)));
  });
  return { endpoint, child };
}

/** Ingest throughput against a raw GET + SHA-256 of the same object, and the ingesting process's peak RSS. */
export async function benchIngest(dynamoEndpoint: string, dir: string, bytes: number): Promise<void> {
  const { endpoint, child } = await startS3Child(join(dir, 's3-ingest'));
  const raw = new DynamoDBClient({ endpoint: dynamoEndpoint });
  const db = createDocumentClient({ endpoint: dynamoEndpoint });
  const s3 = createS3Client({ endpoint });
  try {
    await ensureTable(raw, 'bench-ingest');
    await s3.send(new CreateBucketCommand({ Bucket: 'bench-ingest' }));
    const prepared = await prepareValidatingVersion({ db, tableName: 'bench-ingest', s3, bucket: 'bench-ingest', bytes });
    const baseline = await rawGetAndHash(s3, 'bench-ingest', prepared.incomingKey);
    if (baseline.sha256 !== prepared.sha256) throw new Error('the emulator returned other bytes than were uploaded');
    const result = await ingestInChild(
      { TABLE_NAME: 'bench-ingest', BUCKET_NAME: 'bench-ingest', COMPTOIR_DYNAMODB_ENDPOINT: dynamoEndpoint, COMPTOIR_S3_ENDPOINT: endpoint, POWERTOOLS_LOG_LEVEL: 'SILENT' },
      prepared.datasetId,
      prepared.version,
    );
    if (result.outcome !== 'published') throw new Error(`ingest ended ${result.outcome}`);
    const ingestMBps = prepared.size / 1e6 / result.seconds;
    console.log(`\nIngest of a generated ${(prepared.size / MB).toFixed(0)} MiB CSV (6 typed columns), S3 emulator in a child process`);
    console.log(`  raw S3 GET + SHA-256          ${baseline.mbPerSecond.toFixed(1).padStart(6)} MB/s`);
    console.log(`  ingest (read, SHA-256, validate, write versions/) ${ingestMBps.toFixed(1).padStart(6)} MB/s in ${result.seconds.toFixed(1)} s`);
    console.log(`  ratio                         ${(ingestMBps / baseline.mbPerSecond).toFixed(2)}   (target >= 0.25)`);
    console.log(`  ingest peak RSS               ${(result.peakRssBytes / MB).toFixed(0).padStart(6)} MiB (target < 150)`);
  } finally {
    raw.destroy();
    db.destroy();
    s3.destroy();
    child.kill('SIGTERM');
  }
}
