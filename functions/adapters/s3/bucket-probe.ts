import { HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import type { DependencyProbe } from '../../ports/readiness.ts';
import { PROBE_TIMEOUT_MS } from '../sdk-timeouts.ts';

/** HeadBucket: proves the bucket answers without reading any object. */
export class S3BucketProbe implements DependencyProbe {
  constructor(
    private readonly client: S3Client,
    private readonly bucketName: string,
    private readonly timeoutMs = PROBE_TIMEOUT_MS,
  ) {}

  async probe(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.bucketName }), { abortSignal: AbortSignal.timeout(this.timeoutMs) });
  }
}
