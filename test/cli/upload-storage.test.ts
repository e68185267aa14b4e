import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AbortMultipartUploadCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { MIB, createMeterDataset, sha256OfFile, stateFiles, uploadKilledAfterTwoParts, writeCsv } from './fixtures.ts';
import { jsonOf, runCli } from './run-cli.ts';
import { startStorageProxy, type StorageProxy } from './storage-proxy.ts';

describe('comptoir upload when storage loses an upload or fails', () => {
  let storage: StorageProxy;
  let t: TestRuntime;
  let dir: string;
  let env: Record<string, string>;

  const createDataset = () => createMeterDataset(t);
  const versionStatus = async (datasetId: string, n: number) => (await t.call('GET', `/v1/datasets/${datasetId}/versions/${n}`, { key: t.keys.dsp.key })).body.status;

  beforeAll(async () => {
    storage = await startStorageProxy(inject('s3Endpoint'));
    // startTestRuntime hands its options on to the local runtime: its storage is then the proxy.
    t = await startTestRuntime({ s3Endpoint: storage.endpoint } as Parameters<typeof startTestRuntime>[0]);
    dir = await mkdtemp(join(tmpdir(), 'comptoir-cli-storage-'));
    env = { HOME: dir, COMPTOIR_URL: t.runtime.url, COMPTOIR_KEY: t.keys.dsp.key, COMPTOIR_STATE_DIR: join(dir, 'state'), XDG_CONFIG_HOME: join(dir, 'config') };
  });
  afterAll(async () => {
    await t?.stop();
    await storage?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('uploads the file again as a new version when the multipart upload being resumed was aborted on storage', async () => {
    const datasetId = await createDataset();
    const file = join(dir, 'releves.csv');
    const rows = await writeCsv(file, 66 * MIB);
    const sha256 = await sha256OfFile(file);
    const state = await uploadKilledAfterTwoParts([datasetId, file], { env, cwd: dir, stateDir: env.COMPTOIR_STATE_DIR! });
    expect(state).toMatchObject({ version: 1, partCount: 9, uploadId: expect.any(String) });

    // As the bucket's lifecycle rule would: the bucket and key are those of a part URL.
    const partUrls = await t.call('POST', `/v1/datasets/${datasetId}/versions/1/parts`, { key: t.keys.dsp.key, body: { partNumbers: [1] } });
    expect(partUrls.status, JSON.stringify(partUrls.body)).toBe(200);
    const [, bucket, ...key] = new URL(partUrls.body.parts[0].url).pathname.split('/').map(decodeURIComponent);
    const s3 = new S3Client({ endpoint: storage.endpoint, forcePathStyle: true });
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key.join('/'), UploadId: state.uploadId }));
    s3.destroy();
    expect(storage.aborted).toEqual(new Set([state.uploadId]));

    const run = await runCli(['upload', datasetId, file, '--json'], { env, cwd: dir });

    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`Resuming version 1 of ${datasetId}`);
    expect(run.stderr).toContain("Storage no longer holds the multipart upload of version 1 (the bucket's lifecycle rule aborts incomplete uploads, or it was completed or aborted elsewhere): uploading the file again as a new version; version 1 stays uploading.");
    const result = jsonOf(run);
    expect(result).toMatchObject({ datasetId, sha256, mode: 'multipart', partCount: 9, resumedParts: 0, abandonedVersion: 1, verified: true });
    expect(result.version).toMatchObject({ version: 2, status: 'published', sha256, rows });
    expect(await stateFiles(env.COMPTOIR_STATE_DIR!)).toEqual([]);
    expect(await versionStatus(datasetId, 1)).toBe('uploading');
  }, 90_000);

  it('ends the error line of a 5xx answer with its correlation id, and puts it in the JSON error', async () => {
    const datasetId = await createDataset();
    const csv = 'station,count,measuredOn\nNord,12,2026-11-01\n';
    await writeFile(join(dir, 'petit.csv'), csv);
    // Completion checks the object with a HEAD: storage failing there makes the platform answer 503.
    storage.failWhen = (method, url) => method === 'HEAD' && url.pathname.endsWith(`/incoming/${datasetId}/v1`);
    let run;
    try {
      run = await runCli(['upload', datasetId, 'petit.csv', '--json'], { env, cwd: dir });
    } finally {
      storage.failWhen = undefined;
    }

    expect(run.code, run.stderr).toBe(1);
    const error = jsonOf(run).error;
    expect(error).toMatchObject({ code: 'unavailable', status: 503, exitCode: 1, correlationId: expect.stringMatching(/^\S+$/) });
    expect(run.stderr.split('\n').filter((l) => l.startsWith('comptoir: '))).toEqual([`comptoir: ${error.message} (unavailable, correlation id ${error.correlationId})`]);
  });
});
