import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The platforms a Lambda function runs on, as DuckDB names its native packages. */
export type LambdaPlatform = 'linux-arm64' | 'linux-x64';

/** Brings `name@version` (an npm package) into `destination`, which it creates. */
export type FetchPackage = (name: string, version: string, destination: string) => Promise<void>;

/** `npm pack` from the registry, then unpacked: the binding of another platform than the deploying machine's. */
export const fetchFromRegistry: FetchPackage = async (name, version, destination) => {
  const scratch = await mkdtemp(join(tmpdir(), 'comptoir-duckdb-'));
  try {
    const { stdout } = await run('npm', ['pack', `${name}@${version}`, '--pack-destination', scratch, '--silent'], { maxBuffer: 1 << 20 });
    const tarball = stdout.trim().split('\n').pop()!;
    await mkdir(destination, { recursive: true });
    await run('tar', ['-xzf', join(scratch, tarball), '-C', destination, '--strip-components=1']);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
};

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

async function versionOf(packageDir: string): Promise<{ version: string; dependencies: Record<string, string> }> {
  const manifest = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as { version: string; dependencies?: Record<string, string> };
  return { version: manifest.version, dependencies: manifest.dependencies ?? {} };
}

/**
 * Puts DuckDB's JavaScript packages and the native binding of the function's platform in `node_modules` beside a
 * bundle, where the bundle's `import('@duckdb/node-api')` resolves them (ES module resolution ignores NODE_PATH and layers).
 */
export async function packageDuckDb(projectRoot: string, outputDir: string, platform: LambdaPlatform, fetchPackage: FetchPackage = fetchFromRegistry): Promise<void> {
  const modules = join(projectRoot, 'node_modules');
  const target = join(outputDir, 'node_modules');
  const bindings = await versionOf(join(modules, '@duckdb/node-bindings'));
  await mkdir(join(target, '@duckdb'), { recursive: true });
  for (const name of ['@duckdb/node-api', '@duckdb/node-bindings', ...Object.keys(bindings.dependencies)]) {
    await cp(join(modules, name), join(target, name), { recursive: true, dereference: true });
  }
  const binding = `@duckdb/node-bindings-${platform}`;
  const local = join(modules, binding);
  // The deploying machine's own binding is used as is when it is the function's platform and the same version.
  if ((await exists(local)) && (await versionOf(local)).version === bindings.version) await cp(local, join(target, binding), { recursive: true, dereference: true });
  else await fetchPackage(binding, bindings.version, join(target, binding));
  if (!(await exists(join(target, binding, 'duckdb.node')))) throw new Error(`${binding}@${bindings.version} has no duckdb.node: DuckDB cannot load in the function`);
}

// Run by the functions' bundling after esbuild: package-duckdb.ts <outputDir> <platform>
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [outputDir, platform] = process.argv.slice(2);
  if (!outputDir || (platform !== 'linux-arm64' && platform !== 'linux-x64')) throw new Error('usage: package-duckdb.ts <outputDir> <linux-arm64|linux-x64>');
  await packageDuckDb(process.cwd(), outputDir, platform);
}
