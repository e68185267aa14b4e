import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/ports.ts';

const MAIN = fileURLToPath(new URL('../../infra/local/main.ts', import.meta.url));
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `npm start` on a fresh data folder, without the demo datasets, with its output collected. A free port may be taken
 * by another process before the runtime binds it: then it starts again on another one.
 */
async function start(dir: string, env: Record<string, string> = {}, attempts = 3): ReturnType<typeof startOnce> {
  try {
    return await startOnce(dir, env);
  } catch (error) {
    if (attempts > 1 && String((error as Error).message).includes('EADDRINUSE')) return start(dir, env, attempts - 1);
    throw error;
  }
}

async function startOnce(dir: string, env: Record<string, string>) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '--import', 'tsx', MAIN], {
    env: { ...process.env, PORT: String(port), COMPTOIR_DATA_DIR: dir, COMPTOIR_ADMIN_KEY: '', COMPTOIR_DEMO_DATA: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = { text: '' };
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out.text += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (out.text += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  while (!(await fetch(`${url}/health`).then((r) => r.ok).catch(() => false))) {
    expect(child.exitCode, out.text).toBeNull();
    await pause(100);
  }
  /** The DynamoDB Local JVM: the runtime's java child. */
  const jvm = () => Number(execFileSync('pgrep', ['-P', String(child.pid), 'java'], { encoding: 'utf8' }).trim().split('\n')[0]);
  const jvmPort = (pid: number) => Number(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').at(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').indexOf('-port') + 1));
  return { child, url, out, exited, jvm, jvmPort };
}

describe('npm start supervises DynamoDB Local', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('restarts a killed JVM on the same data, says so once, and /health/ready answers 503 naming the table meanwhile', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'comptoir-supervise-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const s = await start(dir);
    cleanups.push(async () => {
      s.child.kill('SIGTERM');
      await s.exited;
    });
    const keys = JSON.parse(await readFile(join(dir, 'demo-keys.json'), 'utf8'));
    const me = () => fetch(`${s.url}/v1/me`, { headers: { authorization: `Bearer ${keys.officer.key}` } });
    expect((await fetch(`${s.url}/health/ready`)).status).toBe(200);
    const first = s.jvm();

    process.kill(first, 'SIGKILL');
    // What /health/ready says until it is back (the first answers may be the report of the last second).
    const seen: { status: number; body: any }[] = [];
    const ask = async () => {
      const res = await fetch(`${s.url}/health/ready`);
      seen.push({ status: res.status, body: await res.json() });
      return res.status;
    };
    while ((await ask()) === 200) await pause(100);
    while ((await ask()) !== 200) await pause(100);

    const down = seen.filter((a) => a.status !== 200);
    expect(down.length).toBeGreaterThan(0);
    for (const a of down) expect(a.body.error, JSON.stringify(seen)).toMatchObject({ code: 'not_ready', checks: { table: 'down', bucket: 'up' } });
    expect(s.jvm()).not.toBe(first);
    // The keys live in the table: the data folder survived.
    expect((await me()).status).toBe(200);
    expect(s.out.text.match(/DynamoDB Local stopped \(SIGKILL\); restarting it on the same data/g), s.out.text).toHaveLength(1);
    expect(s.out.text.match(/DynamoDB Local is back/g)).toHaveLength(1);
    // The sequencer (every second) logged its failure once, not once a second.
    expect((s.out.text.match(/audit sequencer: .*retrying with backoff/g) ?? []).length, s.out.text).toBe(1);
  }, 240_000);

  it('exits with one clear sentence when the JVM cannot be restarted', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'comptoir-supervise-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const s = await start(dir, { COMPTOIR_DYNAMODB_RESTARTS: '1' });
    cleanups.push(async () => {
      s.child.kill('SIGKILL');
      await s.exited;
    });
    const pid = s.jvm();
    const port = s.jvmPort(pid);

    // Something else takes the port as soon as the JVM dies: the restart cannot bind it.
    process.kill(pid, 'SIGKILL');
    const squatter: Server = createServer((socket) => socket.destroy());
    for (;;) {
      const bound = await new Promise<boolean>((resolve) => {
        squatter.once('error', () => resolve(false));
        squatter.listen(port, '127.0.0.1', () => resolve(true));
      });
      if (bound) break;
      await pause(5);
    }
    cleanups.push(() => new Promise((r) => squatter.close(r)));
    const code = await s.exited;

    expect(code).toBe(1);
    expect(s.out.text).toMatch(/DynamoDB Local stopped and 1 restart failed \(.+\); Comptoir stops: check Java and the data folder, then run `npm start` again\./);
  }, 240_000);
});
