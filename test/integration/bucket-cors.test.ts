import { randomUUID } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, inject, it } from 'vitest';
import { ensureBucket } from '../../functions/adapters/provisioning.ts';
import { createS3Client } from '../../functions/adapters/s3/client.ts';

describe('datasets bucket on the S3 emulator', () => {
  it('exposes ETag to browsers, as the cloud bucket does', async () => {
    const endpoint = inject('s3Endpoint');
    const s3 = createS3Client({ endpoint });
    const bucket = `cors-${randomUUID().slice(0, 8)}`;
    await ensureBucket(s3, bucket);
    await ensureBucket(s3, bucket);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }));

    const preflight = await fetch(`${endpoint}/${bucket}/k`, { method: 'OPTIONS', headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'PUT' } });
    const get = await fetch(`${endpoint}/${bucket}/k`, { headers: { origin: 'http://localhost:3000' } });

    expect(preflight.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(get.headers.get('access-control-expose-headers')).toContain('ETag');
    s3.destroy();
  });
});
