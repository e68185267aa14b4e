import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Emulator, type RunningS3 } from '../../infra/local/s3-emulator.ts';
import { NodeSha256, SigV4Verifier, StorageRefusal } from '../../infra/local/verifying-storage.ts';

const BUCKET = 'verified-bucket';
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

let s3: RunningS3;
let dir: string;
let client: S3Client;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'comptoir-verify-'));
  s3 = await startS3Emulator({ directory: dir });
  client = new S3Client({ endpoint: s3.endpoint, forcePathStyle: true, region: 'eu-west-3', credentials: CREDENTIALS, requestChecksumCalculation: 'WHEN_REQUIRED' });
  await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
});
afterAll(async () => {
  client.destroy();
  await s3.stop();
  await rm(dir, { recursive: true, force: true });
});

const presignPut = (key: string, bytes: number, options: { expiresIn?: number; signingDate?: Date } = {}) =>
  getSignedUrl(client, new PutObjectCommand({ Bucket: BUCKET, Key: key, ContentLength: bytes }), { expiresIn: 60, ...options });
const exists = (key: string) =>
  client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key })).then(
    () => true,
    (error: { $metadata?: { httpStatusCode?: number } }) => (error.$metadata?.httpStatusCode === 404 ? false : Promise.reject(error)),
  );
const errorCode = async (res: Response) => /<Code>([^<]+)<\/Code>/.exec(await res.text())?.[1];

describe('local storage checks signatures as S3 does', () => {
  it('serves the SDK and presigned URLs that were signed with the local key, keys with spaces and accents included', async () => {
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'incoming/relevés 2026+.csv', Body: 'a;b\n1;2\n' }));
    const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'incoming/relevés 2026+.csv' }));
    expect(await got.Body!.transformToString()).toBe('a;b\n1;2\n');

    const put = await fetch(await presignPut('incoming/été.csv', 5), { method: 'PUT', body: 'abcde' });
    expect(put.status).toBe(200);
    const download = await getSignedUrl(client, new GetObjectCommand({ Bucket: BUCKET, Key: 'incoming/été.csv', ResponseContentDisposition: 'attachment; filename="ete.csv"' }), { expiresIn: 60 });
    const res = await fetch(download);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('abcde');
  });

  it('refuses anonymous reads, writes and listings', async () => {
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'private/secret.csv', Body: 'secret' }));
    const list = await fetch(`${s3.endpoint}/${BUCKET}?list-type=2`);
    expect([list.status, await errorCode(list)]).toEqual([403, 'AccessDenied']);
    const read = await fetch(`${s3.endpoint}/${BUCKET}/private/secret.csv`);
    expect(read.status).toBe(403);
    const write = await fetch(`${s3.endpoint}/${BUCKET}/private/secret.csv`, { method: 'PUT', body: 'overwritten' });
    expect(write.status).toBe(403);
    const kept = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'private/secret.csv' }));
    expect(await kept.Body!.transformToString()).toBe('secret');
  });

  it('refuses a presigned upload URL whose key, method or length was changed, and writes nothing', async () => {
    const url = await presignPut('incoming/upload-1', 5);
    const elsewhere = url.replace('/incoming/upload-1', '/versions/upload-1');
    const moved = await fetch(elsewhere, { method: 'PUT', body: 'abcde' });
    expect([moved.status, await errorCode(moved)]).toEqual([403, 'SignatureDoesNotMatch']);
    expect(await exists('versions/upload-1')).toBe(false);

    const asDelete = await fetch(url, { method: 'DELETE' });
    expect(asDelete.status).toBe(403);
    const longer = await fetch(url, { method: 'PUT', body: 'abcdef' });
    expect([longer.status, await errorCode(longer)]).toEqual([403, 'SignatureDoesNotMatch']);
    const forged = await fetch(url.replace(/X-Amz-Signature=[0-9a-f]{64}/, `X-Amz-Signature=${'0'.repeat(64)}`), { method: 'PUT', body: 'abcde' });
    expect(forged.status).toBe(403);
    expect(await exists('incoming/upload-1')).toBe(false);

    expect((await fetch(url, { method: 'PUT', body: 'abcde' })).status).toBe(200);
    expect(await exists('incoming/upload-1')).toBe(true);
  });

  it('refuses an expired presigned URL, and one signed with another secret', async () => {
    const expired = await presignPut('incoming/late', 4, { expiresIn: 60, signingDate: new Date(Date.now() - 120_000) });
    const late = await fetch(expired, { method: 'PUT', body: 'late' });
    expect([late.status, await errorCode(late)]).toEqual([403, 'AccessDenied']);

    const stranger = new S3Client({ endpoint: s3.endpoint, forcePathStyle: true, region: 'eu-west-3', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'guessed' }, maxAttempts: 1 });
    await expect(stranger.send(new ListObjectsV2Command({ Bucket: BUCKET }))).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
    const other = new S3Client({ endpoint: s3.endpoint, forcePathStyle: true, region: 'eu-west-3', credentials: { accessKeyId: 'AKIAOTHER', secretAccessKey: 'S3RVER' }, maxAttempts: 1 });
    await expect(other.send(new ListObjectsV2Command({ Bucket: BUCKET }))).rejects.toMatchObject({ name: 'InvalidAccessKeyId' });
    stranger.destroy();
    other.destroy();
    expect(await exists('incoming/late')).toBe(false);
  });
});

describe('header-signed requests', () => {
  /** Signs a PUT with the SDK's signer for `signedBody`, then sends `sentBody`. */
  const signedPut = async (key: string, signedBody: string, sentBody: string, signingDate = new Date(), credentials = CREDENTIALS) => {
    const url = new URL(`${s3.endpoint}/${BUCKET}/${key}`);
    const signer = new SignatureV4({ credentials, region: 'eu-west-3', service: 's3', sha256: NodeSha256, uriEscapePath: false });
    const payloadHash = createHash('sha256').update(signedBody).digest('hex');
    const signed = await signer.sign(
      { method: 'PUT', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query: {}, headers: { host: url.host, 'x-amz-content-sha256': payloadHash } },
      { signingDate },
    );
    return fetch(url, { method: 'PUT', headers: signed.headers as Record<string, string>, body: sentBody });
  };

  it('refuses a body that differs from its signed hash, and a request dated more than 15 minutes away', async () => {
    const swapped = await signedPut('incoming/swapped', 'abc', 'abd');
    expect([swapped.status, await errorCode(swapped)]).toEqual([400, 'XAmzContentSHA256Mismatch']);
    expect(await exists('incoming/swapped')).toBe(false);
    const old = await signedPut('incoming/old', 'abc', 'abc', new Date(Date.now() - 16 * 60_000));
    expect([old.status, await errorCode(old)]).toEqual([403, 'RequestTimeTooSkewed']);
    expect(await exists('incoming/old')).toBe(false);
    expect((await signedPut('incoming/fine', 'abc', 'abc')).status).toBe(200);
  });

  it('writes an object with If-None-Match: * only where none exists, one of two racing writers winning, as S3 does', async () => {
    // Arrange
    const put = (Key: string, Body: string) => client.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body, IfNoneMatch: '*' })).then(() => 200, (e: { $metadata?: { httpStatusCode?: number } }) => e.$metadata?.httpStatusCode);
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'once/taken', Body: 'first' }));

    // Act
    const overwrite = await put('once/taken', 'second');
    const race = await Promise.all([put('once/raced', 'a'), put('once/raced', 'b')]);

    // Assert
    expect(overwrite).toBe(412);
    expect(await (await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'once/taken' }))).Body!.transformToString()).toBe('first');
    expect(race.sort()).toEqual([200, 412]);
  });

  it('refuses a key id it does not know, even signed with the right secret (the scope it signs leaves the key id out)', async () => {
    const stranger = await signedPut('incoming/stranger', 'abc', 'abc', new Date(), { ...CREDENTIALS, accessKeyId: 'AKIASTRANGER' });
    expect([stranger.status, await errorCode(stranger)]).toEqual([403, 'InvalidAccessKeyId']);
    expect(await exists('incoming/stranger')).toBe(false);
  });
});

describe('SigV4Verifier', () => {
  const signedAt = new Date('2026-12-07T10:00:00Z');
  const urlFor = async (expiresIn: number, credentials = CREDENTIALS) => {
    const signer = new S3Client({ endpoint: 'http://127.0.0.1:9', forcePathStyle: true, region: 'eu-west-3', credentials });
    const url = new URL(await getSignedUrl(signer, new GetObjectCommand({ Bucket: BUCKET, Key: 'k' }), { expiresIn, signingDate: signedAt }));
    signer.destroy();
    return { method: 'GET', url: url.pathname + url.search, headers: { host: url.host } };
  };
  const at = (iso: string) => new SigV4Verifier(CREDENTIALS, () => new Date(iso));

  it.each([
    ['at signing time', '2026-12-07T10:00:00Z', true],
    ['on its last second', '2026-12-07T10:01:00Z', true],
    ['one second late', '2026-12-07T10:01:01Z', false],
  ])('a URL valid 60 s, checked %s', async (_, now, valid) => {
    const result = at(now).verify(await urlFor(60));
    if (valid) await expect(result).resolves.toEqual({ payloadHash: undefined });
    else await expect(result).rejects.toMatchObject({ status: 403, code: 'AccessDenied' });
  });

  it('refuses an expiry above a week, a changed host and a second auth mechanism', async () => {
    const week = await urlFor(60);
    await expect(at('2026-12-07T10:00:00Z').verify({ ...week, url: week.url.replace('X-Amz-Expires=60', 'X-Amz-Expires=604801') })).rejects.toMatchObject({ status: 400 });
    await expect(at('2026-12-07T10:00:00Z').verify({ ...week, url: week.url.replace('X-Amz-Expires=60', 'X-Amz-Expires=61') })).rejects.toMatchObject({ code: 'SignatureDoesNotMatch' });
    await expect(at('2026-12-07T10:00:00Z').verify({ ...week, headers: { host: 'storage.example:443' } })).rejects.toBeInstanceOf(StorageRefusal);
    await expect(at('2026-12-07T10:00:00Z').verify({ ...week, headers: { ...week.headers, authorization: 'AWS4-HMAC-SHA256 x' } })).rejects.toMatchObject({ status: 400, code: 'InvalidArgument' });
  });

  // The emulator behind the front checks these too on header-signed requests; the front must not rely on it.
  it('refuses a key id it does not know and a header-signed request dated more than 15 minutes from its clock', async () => {
    const stranger = await urlFor(60, { ...CREDENTIALS, accessKeyId: 'AKIASTRANGER' });
    await expect(at('2026-12-07T10:00:00Z').verify(stranger)).rejects.toMatchObject({ status: 403, code: 'InvalidAccessKeyId' });
    const signer = new SignatureV4({ credentials: CREDENTIALS, region: 'eu-west-3', service: 's3', sha256: NodeSha256, uriEscapePath: false });
    const signed = await signer.sign(
      { method: 'GET', protocol: 'http:', hostname: 'storage', path: `/${BUCKET}/k`, query: {}, headers: { host: 'storage', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } },
      { signingDate: signedAt },
    );
    const request = { method: 'GET', url: `/${BUCKET}/k`, headers: signed.headers };
    await expect(at('2026-12-07T10:14:59Z').verify(request)).resolves.toEqual({ payloadHash: undefined });
    await expect(at('2026-12-07T10:15:01Z').verify(request)).rejects.toMatchObject({ status: 403, code: 'RequestTimeTooSkewed' });
    await expect(at('2026-12-07T09:44:59Z').verify(request)).rejects.toMatchObject({ status: 403, code: 'RequestTimeTooSkewed' });
  });
});
