// One S3-to-S3 pass in its own process, so its peak memory is read alone: the enforced variant, or a raw copy.
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createS3Client } from '../functions/adapters/s3/client.ts';
import { S3ObjectStore } from '../functions/adapters/s3/object-store.ts';
import { S3ObjectWriter } from '../functions/adapters/s3/object-writer.ts';
import { planTransforms } from '../functions/domain/enforcement/index.ts';
import { enforceStream } from '../functions/domain/licences/variant-builder.ts';
import { VARIANT_FIELDS, VARIANT_SPECS } from './variant-data.ts';

async function main(): Promise<void> {
  const [mode, endpoint, bucket, source, target] = process.argv.slice(2) as [string, string, string, string, string];
  const s3 = createS3Client({ endpoint });
  const objects = new S3ObjectStore(s3, bucket);
  const writer = new S3ObjectWriter(s3, bucket);
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
  const started = process.hrtime.bigint();
  if (mode === 'variant') {
    await enforceStream(objects, writer, source, target, planTransforms(VARIANT_SPECS, VARIANT_FIELDS), { hmacKey: new Uint8Array(32).fill(7) });
  } else {
    const { body } = await objects.read(source);
    const through = new PassThrough();
    await Promise.all([pipeline(body, through), writer.writeStream(target, through)]);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(sampler);
  console.log(JSON.stringify({ seconds, peakRssBytes: Math.max(peak, process.memoryUsage.rss()) }));
  s3.destroy();
}

void main();
