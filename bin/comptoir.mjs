#!/usr/bin/env node
// The `comptoir` command: runs dist/comptoir.mjs, the bundle `npm install`, `npm ci` and `npm run build:cli`
// build from cli/, from any working directory. Without it, or when a source changed since it was built,
// runs the TypeScript sources through tsx instead (slower), saying so on stderr.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('../', import.meta.url);
const bundle = new URL('dist/comptoir.mjs', root);

/** Why the bundle cannot be trusted to be the sources, or undefined when it can. */
function staleness() {
  const built = statSync(bundle, { throwIfNoEntry: false });
  if (!built) return 'dist/comptoir.mjs is missing';
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(new URL('dist/comptoir.inputs.json', root), 'utf8')).inputs;
  } catch {
    return 'dist/comptoir.inputs.json is missing';
  }
  // A few dozen stats: well under a millisecond, and an edited source is never silently ignored.
  const changed = inputs.find((input) => (statSync(new URL(input, root), { throwIfNoEntry: false })?.mtimeMs ?? 0) > built.mtimeMs);
  return changed && `${changed} changed after dist/comptoir.mjs was built`;
}

const reason = staleness();
let main;
if (reason) {
  process.stderr.write(`comptoir: ${reason}; running the TypeScript sources through tsx (slower until npm run build:cli)\n`);
  const { register } = await import('tsx/esm/api');
  const tsconfig = fileURLToPath(new URL('tsconfig.json', root));
  register({ tsconfig: existsSync(tsconfig) ? tsconfig : false });
  ({ main } = await import(new URL('cli/main.ts', root).href));
} else {
  ({ main } = await import(bundle.href));
}
process.exitCode = await main(process.argv.slice(2));
