import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { BUNDLE_SETTINGS } from '../infra/bundling.ts';

/**
 * Bundles a script with esbuild and runs it in a fresh Node process (no transpiler loaded, as in
 * Lambda), returning the JSON object its last output line prints.
 */
export async function runBundledChild<T>(entry: URL, args: readonly string[], env: Record<string, string> = {}): Promise<T> {
  // Inside the project, so the bundle resolves the modules kept outside it (DuckDB's native one) as a Lambda does beside its bundle.
  const cache = fileURLToPath(new URL('../node_modules/.cache/', import.meta.url));
  await mkdir(cache, { recursive: true });
  const dir = await mkdtemp(join(cache, 'comptoir-child-'));
  const outfile = join(dir, `${basename(fileURLToPath(entry), '.ts')}.cjs`);
  await build({ entryPoints: [fileURLToPath(entry)], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile, logLevel: 'silent', external: [...BUNDLE_SETTINGS.external] });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [outfile, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      void rm(dir, { recursive: true, force: true });
      if (code !== 0) return reject(new Error(`${basename(outfile)} exited with ${code}: ${out}`));
      resolve(JSON.parse(out.trim().split('\n').at(-1)!) as T);
    });
  });
}
