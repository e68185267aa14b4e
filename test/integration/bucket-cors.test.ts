import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureBucket } from '../../functions/adapters/provisioning.ts';
import { createS3Client } from '../../functions/adapters/s3/client.ts';
import { S3ObjectStore } from '../../functions/adapters/s3/object-store.ts';

const CONSOLE_ORIGIN = 'http://127.0.0.1:3000';

describe('datasets bucket CORS on the S3 emulator', () => {
  const endpoint = inject('s3Endpoint');
  const s3 = createS3Client({ endpoint });
  const bucket = `cors-${randomUUID().slice(0, 8)}`;
  const store = new S3ObjectStore(s3, bucket);

  beforeAll(async () => {
    await ensureBucket(s3, bucket);
    // Twice: the local runtime provisions on every start.
    await ensureBucket(s3, bucket);
  });
  afterAll(() => s3.destroy());

  it('allows a browser preflight for a PUT with signed headers from the console origin', async () => {
    const preflight = await fetch(`${endpoint}/${bucket}/incoming/a.csv`, {
      method: 'OPTIONS',
      headers: { origin: CONSOLE_ORIGIN, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type, x-amz-checksum-sha256' },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('content-type');
  });

  it('lets the browser read the ETag of a presigned PUT and of a multipart part', async () => {
    const body = 'station,count\nNord,1\n';
    const single = await store.presignPut('incoming/single.csv', Buffer.byteLength(body), 60);
    const put = await fetch(single.url, { method: 'PUT', body, headers: { origin: CONSOLE_ORIGIN } });
    expect(put.status).toBe(200);
    expect(put.headers.get('access-control-allow-origin')).toBe('*');
    expect(put.headers.get('access-control-expose-headers')).toContain('ETag');
    expect(put.headers.get('etag')).toBeTruthy();

    const uploadId = await store.startMultipart('incoming/multi.csv');
    const part = await store.presignPart('incoming/multi.csv', uploadId, 1, 60);
    const sent = await fetch(part.url, { method: 'PUT', body, headers: { origin: CONSOLE_ORIGIN } });
    expect(sent.status).toBe(200);
    expect(sent.headers.get('access-control-expose-headers')).toContain('ETag');
    expect(sent.headers.get('etag')).toBeTruthy();
  });

  it('answers a presigned GET to another origin', async () => {
    const get = await store.presignGet('incoming/single.csv', 60, 'single.csv');
    const res = await fetch(get.url, { headers: { origin: CONSOLE_ORIGIN } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });
});
