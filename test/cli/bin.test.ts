import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from './run-cli.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const VERSION = /^\d+\.\d+\.\d+\n$/;
const FALLBACK = / running the TypeScript sources through tsx \(slower until npm run build:cli\)$/;

/** `node <root>/bin/comptoir.mjs …`, as any working directory sees it. */
function runBin(root: string, args: readonly string[]): Promise<CliRun> {
  const child = spawn(process.execPath, [join(root, 'bin', 'comptoir.mjs'), ...args], { cwd: tmpdir(), env: { PATH: process.env.PATH, NODE_NO_WARNINGS: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe('bin/comptoir.mjs', () => {
  it('runs the bundle the build made, from any directory, without a word on stderr', async () => {
    const run = await runCli(['--version'], { env: {}, cwd: tmpdir() });

    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(VERSION);
  });

  describe('in a checkout whose bundle is missing or older than its sources', () => {
    // A copy of the package: bin and cli/ copied (their times are the test's to set), the rest linked.
    let root: string;
    beforeAll(async () => {
      root = await mkdtemp(join(tmpdir(), 'comptoir-bin-'));
      await mkdir(join(root, 'bin'));
      await cp(join(ROOT, 'bin', 'comptoir.mjs'), join(root, 'bin', 'comptoir.mjs'));
      await cp(join(ROOT, 'cli'), join(root, 'cli'), { recursive: true });
      for (const name of ['sdk', 'schemas', 'node_modules', 'package.json', 'tsconfig.json']) await symlink(join(ROOT, name), join(root, name));
    });
    afterAll(() => rm(root, { recursive: true, force: true }));

    it('runs the TypeScript sources through tsx when there is no bundle, saying so in one line', async () => {
      const run = await runBin(root, ['--version']);

      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(VERSION);
      expect(run.stderr.split('\n')).toEqual([expect.stringMatching(new RegExp(`^comptoir: dist/comptoir.mjs is missing;${FALLBACK.source}`)), '']);
    });

    it('runs the bundle while it is newer than every source, and the sources once one of them changed', async () => {
      await mkdir(join(root, 'dist'));
      await cp(join(ROOT, 'dist', 'comptoir.inputs.json'), join(root, 'dist', 'comptoir.inputs.json'));
      // A bundle that says it ran: the real one and the sources would both print the version.
      await writeFile(join(root, 'dist', 'comptoir.mjs'), "export async function main(argv) { process.stdout.write(`bundle ${argv.join(' ')}\\n`); return 0; }\n");
      const hourFromNow = new Date(Date.now() + 3_600_000);
      await utimes(join(root, 'dist', 'comptoir.mjs'), hourFromNow, hourFromNow);

      const fresh = await runBin(root, ['--version']);

      expect(fresh).toMatchObject({ code: 0, stdout: 'bundle --version\n', stderr: '' });

      const later = new Date(Date.now() + 7_200_000);
      await utimes(join(root, 'cli', 'help.ts'), later, later);

      const stale = await runBin(root, ['--version']);

      expect(stale.code, stale.stderr).toBe(0);
      expect(stale.stdout).toMatch(VERSION);
      expect(stale.stderr.split('\n')).toEqual([expect.stringMatching(new RegExp(`^comptoir: cli/help.ts changed after dist/comptoir.mjs was built;${FALLBACK.source}`)), '']);
    });
  });
});
