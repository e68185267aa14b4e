import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildCli } from '../scripts/build-cli.ts';
import { summarize, timeIt } from './stats.ts';

const BIN = fileURLToPath(new URL('../bin/comptoir.mjs', import.meta.url));
const MAIN = new URL('../cli/main.ts', import.meta.url).href;

/** Runs `node …args` to its end; rejects unless it exits 0. */
function node(args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`node ${args.join(' ')} exited with ${code}`))));
  });
}

/** `comptoir --help` from the bundle and from the sources through tsx, each as a ratio to a bare `node -e ''` start, interleaved. */
export async function benchCliStartup(rounds: number): Promise<void> {
  await buildCli();
  const runs = {
    node: () => node(['-e', '']),
    bundle: () => node([BIN, '--help']),
    tsx: () => node(['--import', 'tsx', '--input-type=module', '-e', `const { main } = await import(${JSON.stringify(MAIN)}); process.exitCode = await main(['--help']);`]),
  };
  const samples: Record<keyof typeof runs, number[]> = { node: [], bundle: [], tsx: [] };
  for (const run of Object.values(runs)) await run();
  // Interleaved so all three see the same machine load.
  for (let i = 0; i < rounds; i++) for (const [name, run] of Object.entries(runs)) samples[name as keyof typeof runs].push(await timeIt(run));
  const base = summarize(samples.node).median;
  console.log(`\ncomptoir --help start-up, ${rounds} interleaved rounds (median)`);
  console.log(`  node -e ''                        ${base.toFixed(0).padStart(5)} ms`);
  for (const [name, label] of [['bundle', 'bin/comptoir.mjs (bundle)'], ['tsx', 'cli/main.ts through tsx']] as const) {
    const median = summarize(samples[name]).median;
    console.log(`  ${label.padEnd(32)}  ${median.toFixed(0).padStart(5)} ms   ${(median / base).toFixed(1)}x node`);
  }
}
