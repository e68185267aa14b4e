import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComptoirClient } from '../../sdk/client.ts';
import { EXIT } from '../../cli/errors.ts';
import { main, type Io } from '../../cli/main.ts';
import { waitForVersion, WaitTimeoutError } from '../../cli/upload/wait.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { MIB, createMeterDataset, filesIn, sha256OfFile, stateFiles as stateFilesIn, uploadKilledAfterTwoParts, uploadSignalledAfterTwoParts, writeCsv } from './fixtures.ts';
import { jsonOf, runCli, runShellCommand } from './run-cli.ts';

/**
 * Runs `comptoir …` in this process, raising `signal` when stderr first prints a line matching `when`;
 * answers the exit code, stderr and the requests the command sent after the signal.
 */
async function mainSignalledOn(argv: string[], env: NodeJS.ProcessEnv, when: RegExp, signal: NodeJS.Signals): Promise<{ code: number; stderr: string; sentAfter: string[] }> {
  const listeners = () => process.listenerCount('SIGINT') + process.listenerCount('SIGTERM');
  const before = listeners();
  let stderr = '';
  let raised = false;
  const sentAfter: string[] = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = ((input: string | URL | Request, init?: RequestInit) => {
    if (raised) sentAfter.push(`${init?.method ?? 'GET'} ${String(input)}`);
    return realFetch(input, init);
  }) as typeof fetch;
  const sink = (onText: (text: string) => void) => new Writable({ write: (chunk, _encoding, done) => (onText(String(chunk)), done()) });
  try {
    const code = await main(argv, {
      stdout: sink(() => undefined),
      stderr: sink((text) => {
        stderr += text;
        if (!raised && when.test(text)) {
          raised = true;
          process.emit(signal, signal);
        }
      }),
      stdin: Readable.from([]) as unknown as Io['stdin'],
      env,
    });
    expect(raised, `stderr never matched ${when}:\n${stderr}`).toBe(true);
    expect(listeners(), 'the upload left its signal handlers behind').toBe(before);
    return { code, stderr, sentAfter };
  } finally {
    globalThis.fetch = realFetch;
  }
}

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

  it('stops on Ctrl-C with every part sent on disk and no temporary file, exits 130 and prints the command that resumes it, from any directory', async () => {
    const datasetId = await createDataset();
    const file = join(dir, "relevés d'octobre.csv");
    const rows = await writeCsv(file, 66 * MIB);
    const sha256 = await sha256OfFile(file);
    const stateDir = env.COMPTOIR_STATE_DIR!;

    const stopped = await uploadSignalledAfterTwoParts([datasetId, "relevés d'octobre.csv", '--concurrency', '2'], { env, cwd: dir, stateDir }, 'SIGINT');

    expect([stopped.code, stopped.signal], stopped.stderr).toEqual([130, null]);
    const said = stopped.stderr.split('\n').filter((l) => l.startsWith('comptoir:'));
    expect(said).toHaveLength(1);
    const line = /^comptoir: interrupted with (\d) of 9 parts of version 1 uploaded and recorded; resume with: (.+) \(interrupted\)$/.exec(said[0]!);
    expect(line, said[0]).not.toBeNull();
    const [, recorded, command] = line!;
    expect(command).toBe(`comptoir upload ${datasetId} '${dir}/relevés d'\\''octobre.csv' --concurrency 2`);
    const files = await filesIn(stateDir);
    expect(files).toEqual([expect.stringMatching(/^[0-9a-f]{32}\.json$/)]);
    const state = JSON.parse(await readFile(join(stateDir, files[0]!), 'utf8'));
    expect(Object.keys(state.etags)).toHaveLength(Number(recorded));
    expect(Number(recorded)).toBeGreaterThanOrEqual(2);

    const resumed = await runShellCommand(command!, { env, cwd: tmpdir() });

    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`Resuming version 1 of ${datasetId}: ${recorded} of 9 parts already uploaded.`);
    expect(resumed.stdout).toContain(`Version 1 of ${datasetId} is published.`);
    expect(resumed.stdout).toMatch(new RegExp(`^rows: +${rows}$`, 'm'));
    expect(resumed.stdout).toContain(`${sha256} (matches the local file)`);
    expect(await stateFiles()).toEqual([]);
  }, 60_000);

  it('stops at once on Ctrl-C during a multipart upload: the parts in flight are dropped and nothing more is sent', async () => {
    const datasetId = await createDataset();
    const file = join(dir, 'arret.csv');
    await writeCsv(file, 66 * MIB);

    const stopped = await mainSignalledOn(['upload', datasetId, file], env, /^upload +[1-9]/m, 'SIGINT');

    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toMatch(new RegExp(`^comptoir: interrupted with \\d of 9 parts of version 1 uploaded and recorded; resume with: comptoir upload ${datasetId} ${dir}/arret\\.csv \\(interrupted\\)$`, 'm'));
    expect(stopped.sentAfter).toEqual([]);
    expect((await filesIn(env.COMPTOIR_STATE_DIR!)).filter((f) => !f.endsWith('.json'))).toEqual([]);
    await rm(env.COMPTOIR_STATE_DIR!, { recursive: true, force: true });
  });

  it('on SIGTERM during a single PUT, says nothing was recorded and gives the command that uploads the file again, the key left out', async () => {
    const datasetId = await createDataset();
    await writeFile(join(dir, 'coupe.csv'), 'station,count,measuredOn\nNord,12,2026-11-01\n');

    const stopped = await mainSignalledOn(['upload', datasetId, join(dir, 'coupe.csv'), '--no-wait', '--key', t.keys.dsp.key], env, /^upload /m, 'SIGTERM');

    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toMatch(new RegExp(`^comptoir: interrupted before any part was recorded; upload the file again with: comptoir upload ${datasetId} ${dir}/coupe\\.csv --no-wait --key <key> \\(interrupted\\)$`, 'm'));
    expect(stopped.stderr).not.toContain(t.keys.dsp.key);
    expect(stopped.sentAfter).toEqual([]);
    expect(await filesIn(env.COMPTOIR_STATE_DIR!)).toEqual([]);
    expect((await t.call('GET', `/v1/datasets/${datasetId}/versions/1`, { key: t.keys.dsp.key })).body.status).toBe('uploading');
  });

  it('on Ctrl-C while the checksum is computed, stops before creating a version', async () => {
    const datasetId = await createDataset();
    const file = join(dir, 'gros.csv');
    await writeCsv(file, 20 * MIB);

    const stopped = await mainSignalledOn(['upload', datasetId, file], env, /^checksum /m, 'SIGINT');

    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toMatch(new RegExp(`^comptoir: interrupted before any part was recorded; upload the file again with: comptoir upload ${datasetId} ${dir}/gros\\.csv \\(interrupted\\)$`, 'm'));
    expect((await t.call('GET', `/v1/datasets/${datasetId}/versions`, { key: t.keys.dsp.key })).body.items).toEqual([]);
    expect(stopped.sentAfter).toEqual([]);
  });

  it('on Ctrl-C while the platform validates, says the upload is complete and how to follow the version', async () => {
    const datasetId = await createDataset();
    await writeFile(join(dir, 'attente.csv'), 'station,count,measuredOn\nNord,12,2026-11-01\n');

    const stopped = await mainSignalledOn(['upload', datasetId, join(dir, 'attente.csv')], env, /waiting for the platform to validate it/, 'SIGINT');

    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toMatch(new RegExp(`^comptoir: interrupted; version 1 is uploaded and the platform is validating it: follow it with comptoir versions status ${datasetId} 1 \\(interrupted\\)$`, 'm'));
    expect(stopped.sentAfter).toEqual([]);
  });

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
  it('stops waiting at once on a version the platform ended failed, and versions status shows why, never "the upload is complete"', async () => {
    const datasetId = await createDataset();
    expect((await t.call('POST', `/v1/datasets/${datasetId}/versions`, { key: t.keys.dsp.key, body: { bytes: 10 } })).status).toBe(201);
    // The schedule ends the abandoned upload past its URLs' lifetime.
    expect((await t.runtime.runSchedule(new Date(Date.now() + 2 * 3600_000))).versions.failed).toBeGreaterThanOrEqual(1);
    const client = new ComptoirClient({ baseUrl: t.runtime.url, key: t.keys.dsp.key });

    const version = await waitForVersion(client, datasetId, 1, { timeoutMs: 60_000 });
    const status = await runCli(['versions', 'status', datasetId, '1'], { env, cwd: dir });

    expect(version).toMatchObject({ status: 'failed', reason: expect.stringContaining('upload the file again') });
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/status:\s+failed/);
    expect(status.stdout).toMatch(/reason:\s+the upload was not completed before its URLs expired.*upload the file again/);
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
