import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import { BUNDLE_SETTINGS, duckDbBeside } from '../../infra/bundling.ts';
import { packageDuckDb } from '../../infra/lambda/package-duckdb.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HOST = `${process.platform}-${process.arch}` as 'linux-x64';
const run = promisify(execFile);

describe('DuckDB packaged beside a Lambda bundle', () => {
  const dirs: string[] = [];
  const scratch = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'comptoir-duckdb-test-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  it("lets a bundle built with the functions' settings import DuckDB from its own directory and run a query", async () => {
    // Arrange: a bundle as the functions are built (DuckDB external), in a directory with nothing else
    const source = await scratch();
    const out = await scratch();
    await writeFile(join(source, 'entry.ts'), "export const answer = () => import('@duckdb/node-api').then(async ({ DuckDBInstance }) => (await (await (await DuckDBInstance.create(':memory:')).connect()).runAndReadAll('SELECT 42 AS v')).getRows()[0][0]);\n");
    await build({ entryPoints: [join(source, 'entry.ts')], outfile: join(out, 'index.js'), bundle: true, platform: 'node', target: BUNDLE_SETTINGS.target, format: BUNDLE_SETTINGS.format, external: [...BUNDLE_SETTINGS.external], logLevel: 'silent' });

    // Act
    await packageDuckDb(ROOT, out, HOST, async () => {
      throw new Error('the host binding is installed: nothing to fetch');
    });

    // Assert: loaded from a process whose only module path is the bundle's directory
    const { stdout } = await run(process.execPath, ['-e', "require('./index.js').answer().then((v) => console.log(String(v)))"], { cwd: out, env: { PATH: process.env.PATH ?? '' } });
    expect(stdout.trim()).toBe('42');
  });

  it("fetches the binding of another platform than the host's, and refuses a package without the native module", async () => {
    // Arrange
    const other = HOST === 'linux-x64' ? 'linux-arm64' : 'linux-x64';
    const fetched: string[] = [];

    // Act / Assert: the fetcher is asked for the exact version the JavaScript binding expects
    await expect(packageDuckDb(ROOT, await scratch(), other, async (name, version) => void fetched.push(`${name}@${version}`))).rejects.toThrow(/has no duckdb\.node/);
    const { version } = (await import('@duckdb/node-bindings/package.json', { with: { type: 'json' } })).default as { version: string };
    expect(fetched).toEqual([`@duckdb/node-bindings-${other}@${version}`]);
  });

  it('runs the packaging after esbuild, for the platform the functions run on', () => {
    const hooks = duckDbBeside('/project', 'linux-arm64');
    expect(hooks.afterBundling('/project', '/asset-output')).toEqual(['cd "/project" && node --import tsx infra/lambda/package-duckdb.ts "/asset-output" linux-arm64']);
  });
});
