import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/ports.ts';
import { startTestRuntime } from '../support/runtime.ts';

const MAIN = fileURLToPath(new URL('../../infra/local/main.ts', import.meta.url));
const STARTING = { error: { code: 'starting', message: expect.any(String) } };

describe('GET /health tells when the platform is ready', () => {
  it('answers 503 `starting` with Retry-After while the runtime is not ready, the rest of the API serving meanwhile, then 200', async () => {
    const t = await startTestRuntime({ startsReady: false });
    try {
      const before = await t.call('GET', '/health');
      expect(before).toMatchObject({ status: 503, body: STARTING });
      expect(before.headers.get('retry-after')).toBe('1');
      expect((await t.call('GET', '/v1/me', { key: t.keys.officer.key })).status).toBe(200);

      t.runtime.markReady();

      expect(await t.call('GET', '/health')).toMatchObject({ status: 200, body: { ok: true, version: expect.any(String) } });
    } finally {
      await t.stop();
    }
  });

  describe('npm start (infra/local/main.ts) on a fresh data folder', () => {
    let dir: string | undefined;
    afterAll(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('answers 503 while it seeds and 200 only once demo-keys.json is written and the demo data is in', async () => {
      dir = await mkdtemp(join(tmpdir(), 'comptoir-start-'));
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const keysFile = join(dir, 'demo-keys.json');
      const child = spawn(process.execPath, ['--openssl-legacy-provider', '--import', 'tsx', MAIN], {
        env: { ...process.env, PORT: String(port), COMPTOIR_DATA_DIR: dir, COMPTOIR_ADMIN_KEY: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      try {
        // What a `curl --fail` loop sees, and whether the keys file was there when it saw it.
        const seen: { status: number; body: unknown; keysFile: boolean }[] = [];
        const deadline = Date.now() + 150_000;
        for (;;) {
          expect(child.exitCode, output).toBeNull();
          expect(Date.now(), `never ready:\n${output}`).toBeLessThan(deadline);
          const res = await fetch(`${url}/health`).catch(() => undefined);
          if (res) {
            const keysFileThen = existsSync(keysFile);
            seen.push({ status: res.status, body: await res.json(), keysFile: keysFileThen });
            if (res.ok) break;
          }
          await new Promise((r) => setTimeout(r, 20));
        }

        const waiting = seen.slice(0, -1);
        expect(waiting.length, 'the server never answered before it was ready').toBeGreaterThan(0);
        expect(waiting.every((s) => s.status === 503), JSON.stringify(waiting)).toBe(true);
        expect(waiting[0]!.body).toEqual(STARTING);
        expect(seen.at(-1)).toMatchObject({ status: 200, body: { ok: true }, keysFile: true });
        const keys = JSON.parse(await readFile(keysFile, 'utf8'));
        const me = await fetch(`${url}/v1/me`, { headers: { authorization: `Bearer ${keys.officer.key}` } });
        expect(me.status).toBe(200);
        const datasets = await fetch(`${url}/v1/datasets`, { headers: { authorization: `Bearer ${keys.dsp.key}` } });
        expect(((await datasets.json()) as { items: unknown[] }).items.length, 'the demo datasets are not there yet').toBeGreaterThan(0);
      } finally {
        child.kill('SIGTERM');
        await exited;
      }
    }, 180_000);
  });
});
