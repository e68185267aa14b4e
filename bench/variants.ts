import { runBundledChild } from './child.ts';
import { join } from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { createS3Client } from '../functions/adapters/s3/client.ts';
import { uploadGenerated } from './ingest-harness.ts';
import { startS3Child } from './ingest.ts';
import { vehicleTraces } from './variant-data.ts';

const MB = 1024 * 1024;

interface ChildRun {
  readonly seconds: number;
  readonly peakRssBytes: number;
}

function runChild(args: string[]): Promise<ChildRun> {
  return runBundledChild<ChildRun>(new URL('./variant-child.ts', import.meta.url), args, {
    AWS_REGION: 'eu-west-3',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
}

/** Enforced-variant throughput S3 to S3 against a raw S3-to-S3 stream copy of the same object, each in a child process. */
export async function benchVariants(dir: string, bytes: number): Promise<void> {
  const { endpoint, child } = await startS3Child(join(dir, 's3-variants'));
  const s3 = createS3Client({ endpoint });
  try {
    await s3.send(new CreateBucketCommand({ Bucket: 'bench-variants' }));
    await uploadGenerated(s3, 'bench-variants', 'versions/traces', vehicleTraces(bytes));
    const copy = await runChild(['copy', endpoint, 'bench-variants', 'versions/traces', 'derived/copy']);
    const variant = await runChild(['variant', endpoint, 'bench-variants', 'versions/traces', 'derived/variant']);
    const mb = bytes / 1e6;
    console.log(`\nEnforced variant (drop + redact + pseudonymise + round) of a generated ${(bytes / MB).toFixed(0)} MiB CSV, S3 to S3`);
    console.log(`  raw S3 -> S3 stream copy      ${(mb / copy.seconds).toFixed(1).padStart(6)} MB/s, peak RSS ${(copy.peakRssBytes / MB).toFixed(0)} MiB`);
    console.log(`  enforced variant              ${(mb / variant.seconds).toFixed(1).padStart(6)} MB/s, peak RSS ${(variant.peakRssBytes / MB).toFixed(0)} MiB (target < 200)`);
    console.log(`  ratio                         ${(copy.seconds / variant.seconds).toFixed(2)}`);
  } finally {
    s3.destroy();
    child.kill('SIGTERM');
  }
}
