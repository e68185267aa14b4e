import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComptoirClient } from '../../sdk/client.ts';
import { EXIT } from '../../cli/errors.ts';
import { waitForVersion, WaitTimeoutError } from '../../cli/upload/wait.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { MIB, createMeterDataset, sha256OfFile, stateFiles as stateFilesIn, uploadKilledAfterTwoParts, writeCsv } from './fixtures.ts';
import { jsonOf, runCli } from './run-cli.ts';

describe('comptoir upload against the local runtime', () => {
  let t: TestRuntime;
  let dir: string;
  let env: Record<string, string>;

  const createDataset = () => createMeterDataset(t);
  const stateFiles = () => stateFilesIn(env.COMPTOIR_STATE_DIR!);

  beforeAll(async () => {
    t = await startTestRuntime();
    dir = await mkdtemp(join(tmpdir(), 'comptoir-cli-upload-'));
    env = { HOME: dir, COMPTOIR_URL: t.runtime.url, COMPTOIR_KEY: t.keys.dsp.key, COMPTOIR_STATE_DIR: join(dir, 'state'), XDG_CONFIG_HOME: join(dir, 'config') };
  });
  afterAll(async () => {
    await t?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('resumes a multipart upload killed half-way and publishes the file’s checksum', async () => {
    const datasetId = await createDataset();
    const file = join(dir, 'releves.csv');
    const rows = await writeCsv(file, 66 * MIB);
    const sha256 = await sha256OfFile(file);

    const state = await uploadKilledAfterTwoParts([datasetId, 'releves.csv', '--json'], { env, cwd: dir, stateDir: env.COMPTOIR_STATE_DIR! });
    const uploaded = Object.keys(state.etags).length;
    expect(state).toMatchObject({ datasetId, file, version: 1, partSize: 8 * MIB, partCount: 9, sha256, uploadId: expect.any(String) });
    expect(uploaded).toBeGreaterThanOrEqual(2);
    expect(uploaded).toBeLessThan(9);
    expect((await t.call('GET', `/v1/datasets/${datasetId}/versions/1`, { key: t.keys.dsp.key })).body.status).toBe('uploading');

    const second = await runCli(['upload', datasetId, file, '--json'], { env, cwd: dir });

    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain(`Resuming version 1 of ${datasetId}: ${uploaded} of 9 parts already uploaded.`);
    const result = jsonOf(second);
    expect(result).toMatchObject({ datasetId, sha256, mode: 'multipart', partCount: 9, resumedParts: uploaded, verified: true });
    expect(result.version).toMatchObject({ version: 1, status: 'published', sha256, rows });
    expect(await stateFiles()).toEqual([]);
    const versions = (await t.call('GET', `/v1/datasets/${datasetId}/versions`, { key: t.keys.dsp.key })).body.items;
    expect(versions.map((v: { version: number }) => v.version)).toEqual([1]);
  }, 60_000);

  it('uploads a small file with one PUT, waits for publication and checks the checksum', async () => {
    const datasetId = await createDataset();
    const csv = 'station;count;measuredOn\r\nNord;12;2026-11-01\r\nSud;7;2026-11-02\r\n';
    await writeFile(join(dir, 'petit.csv'), csv);

    const run = await runCli(['upload', datasetId, 'petit.csv', '--json'], { env, cwd: dir });

    expect(run.code, run.stderr).toBe(0);
    const result = jsonOf(run);
    const sha256 = createHash('sha256').update(csv).digest('hex');
    expect(result).toMatchObject({ mode: 'single', partCount: 1, resumedParts: 0, bytes: csv.length, sha256, verified: true, version: { status: 'published', version: 1, sha256, rows: 2 } });
    expect(run.stderr).toMatch(/upload 100%/);
    expect(await stateFiles()).toEqual([]);
  });

  it('exits 7 with the first quality errors when the platform rejects the version', async () => {
    const datasetId = await createDataset();
    await writeFile(join(dir, 'faux.csv'), 'station,count,measuredOn\nNord,douze,2026-11-01\n');

    const run = await runCli(['upload', datasetId, 'faux.csv'], { env, cwd: dir });

    expect(run.code).toBe(7);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^comptoir: version 1 was rejected.*row 1 count: .*integer.* \(version_rejected\)$/m);
  });
  it('stops waiting for publication at the deadline with exit code 8, naming the command that follows the version', async () => {
    const datasetId = await createDataset();
    // A version no bytes are sent to stays `uploading`: the platform never finishes it.
    expect((await t.call('POST', `/v1/datasets/${datasetId}/versions`, { key: t.keys.dsp.key, body: { bytes: 10 } })).status).toBe(201);
    const client = new ComptoirClient({ baseUrl: t.runtime.url, key: t.keys.dsp.key });

    const started = Date.now();
    const error = await waitForVersion(client, datasetId, 1, { timeoutMs: 2000 }).catch((e: unknown) => e);
    const elapsed = Date.now() - started;

    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error).toMatchObject({ code: 'wait_timeout', exitCode: EXIT.timeout, details: { version: { version: 1, status: 'uploading' } } });
    expect((error as Error).message).toBe(`version 1 of ${datasetId} is still uploading after 2 seconds; the upload itself is complete: follow it with comptoir versions status ${datasetId} 1`);
    expect(elapsed).toBeGreaterThanOrEqual(2000);
    expect(elapsed).toBeLessThan(4000);

    const [zero, word, help] = await Promise.all([
      runCli(['upload', datasetId, 'petit.csv', '--timeout', '0'], { env, cwd: dir }),
      runCli(['upload', datasetId, 'petit.csv', '--timeout', 'soon'], { env, cwd: dir }),
      runCli(['--help'], { env, cwd: dir }),
    ]);
    expect([zero.code, word.code]).toEqual([2, 2]);
    expect(zero.stderr).toMatch(/^comptoir: --timeout must be between 1 and 10080 \(usage\)$/m);
    expect(word.stderr).toMatch(/^comptoir: --timeout must be a whole number, not "soon" \(usage\)$/m);
    expect(help.stdout).toMatch(/^ {2}8 {2}upload: the file is delivered but the platform has not published or rejected it within --timeout$/m);
  });
});
