import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { BUNDLE_SETTINGS } from '../infra/bundling.ts';

/**
 * Bundles a script with esbuild and runs it in a fresh Node process (no transpiler loaded, as in
 * Lambda), returning the JSON object its last output line prints.
 */
export async function runBundledChild<T>(entry: URL, args: readonly string[], env: Record<string, string> = {}): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'comptoir-child-'));
  const outfile = join(dir, `${basename(fileURLToPath(entry), '.ts')}.cjs`);
  await build({ entryPoints: [fileURLToPath(entry)], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile, logLevel: 'silent', external: [...BUNDLE_SETTINGS.external] });
  return new Promise((resolve, reject) => {
    // Native modules stay outside the bundle, as in Lambda: the child resolves them from the project.
    const nodePath = fileURLToPath(new URL('../node_modules', import.meta.url));
    const child = spawn(process.execPath, [outfile, ...args], { env: { ...process.env, NODE_PATH: nodePath, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${basename(outfile)} exited with ${code}: ${out}`));
      resolve(JSON.parse(out.trim().split('\n').at(-1)!) as T);
    });
  });
}
