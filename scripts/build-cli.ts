/**
 * Bundles the `comptoir` command (cli/main.ts) into dist/comptoir.mjs, which bin/comptoir.mjs loads:
 * plain JavaScript starts in a fraction of the time tsx takes to load the TypeScript sources.
 * Run by `npm install` and `npm ci` (the `prepare` script) and by the test suite's global setup.
 * Usage: npm run build:cli
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Where the bundle and the list of the sources it was built from go (bin/comptoir.mjs reads both). */
export const CLI_BUNDLE = join(ROOT, 'dist', 'comptoir.mjs');
export const CLI_INPUTS = join(ROOT, 'dist', 'comptoir.inputs.json');

/** Builds the bundle and its inputs list; each file replaced atomically, so a concurrent `comptoir` never reads half of one. */
export async function buildCli(): Promise<{ bundle: string; inputs: string[] }> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [join(ROOT, 'cli', 'main.ts')],
    bundle: true,
    platform: 'node',
    // package.json's engines; ES modules so that import.meta.url finds package.json as in the sources.
    target: 'node20.19',
    format: 'esm',
    // As the Lambda bundles: prefer ES modules, which esbuild tree-shakes (zod).
    mainFields: ['module', 'main'],
    write: false,
    metafile: true,
    logLevel: 'warning',
    absWorkingDir: ROOT,
  });
  // The project's own sources only: bin/comptoir.mjs compares their times with the bundle's.
  const inputs = Object.keys(result.metafile.inputs).filter((p) => !p.split('/').includes('node_modules')).map((p) => relative(ROOT, join(ROOT, p)));
  await mkdir(dirname(CLI_BUNDLE), { recursive: true });
  await replace(CLI_INPUTS, `${JSON.stringify({ inputs }, null, 2)}\n`);
  await replace(CLI_BUNDLE, result.outputFiles[0]!.contents);
  return { bundle: CLI_BUNDLE, inputs };
}

async function replace(path: string, contents: string | Uint8Array): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, contents);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const { inputs } = await buildCli();
    console.log(`comptoir: built ${relative(process.cwd(), CLI_BUNDLE) || CLI_BUNDLE} from ${inputs.length} sources`);
  } catch (error) {
    // esbuild is a dev dependency: an install without it keeps the sources, which bin/comptoir.mjs then runs through tsx.
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND' || !(error as Error).message.includes("'esbuild'")) throw error;
    console.warn('comptoir: esbuild is not installed, so the command line is not bundled: it will run its TypeScript sources through tsx.');
  }
}
