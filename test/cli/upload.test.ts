import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { jsonOf, runCli, startCli } from './run-cli.ts';

const MIB = 1024 * 1024;
const SCHEMA = { fields: [{ name: 'station', type: 'string', required: true }, { name: 'count', type: 'integer' }, { name: 'measuredOn', type: 'date' }] };

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** A valid CSV of a little more than `bytes`, written by streaming (never whole in memory). */
async function writeCsv(path: string, bytes: number): Promise<number> {
  const out = createWriteStream(path);
  out.write('station,count,measuredOn\n');
  const block = Array.from({ length: 4096 }, (_, i) => `Station-${String(i).padStart(6, '0')},${i},2026-11-${String((i % 28) + 1).padStart(2, '0')}\n`).join('');
  let written = 0;
  let rows = 0;
  while (written < bytes) {
    if (!out.write(block)) await once(out, 'drain');
    written += block.length;
    rows += 4096;
  }
  out.end();
  await once(out, 'finish');
  return rows;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('comptoir upload against the local runtime', () => {
  let t: TestRuntime;
  let dir: string;
  let env: Record<string, string>;

  const createDataset = async () => {
    const res = await t.call('POST', '/v1/datasets', {
      key: t.keys.dsp.key,
      body: { title: 'Relevés des compteurs', description: 'Index journaliers', theme: 'water', classification: 'shared', format: 'csv', schema: SCHEMA },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };
  const stateFiles = async () => (await readdir(env.COMPTOIR_STATE_DIR!).catch(() => [] as string[])).filter((f) => f.endsWith('.json'));

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

    const first = startCli(['upload', datasetId, 'releves.csv', '--json'], { env, cwd: dir });
    let recorded: any;
    const deadline = Date.now() + 20_000;
    while (!recorded) {
      expect(Date.now(), 'the state file never recorded two parts').toBeLessThan(deadline);
      expect(first.child.exitCode, 'the upload finished before it could be interrupted').toBeNull();
      const [name] = await stateFiles();
      const state = name ? JSON.parse(await readFile(join(env.COMPTOIR_STATE_DIR!, name), 'utf8').catch(() => '{}')) : undefined;
      if (state?.etags && Object.keys(state.etags).length >= 2) recorded = state;
      else await sleep(10);
    }
    first.child.kill('SIGKILL');
    const killed = await first.done;
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.stdout).toBe('');

    const [name] = await stateFiles();
    const state = JSON.parse(await readFile(join(env.COMPTOIR_STATE_DIR!, name!), 'utf8'));
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
});
