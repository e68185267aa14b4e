import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/comptoir.mjs', import.meta.url));

export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  readonly env: Record<string, string | undefined>;
  readonly cwd: string;
  readonly stdin?: string;
}

/** The child's environment: only what the CLI reads, so nothing of the test process leaks in. */
function childEnv(env: CliOptions['env']): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { PATH: process.env.PATH, TMPDIR: process.env.TMPDIR, NODE_NO_WARNINGS: '1' };
  for (const [name, value] of Object.entries(env)) if (value !== undefined) base[name] = value;
  return base;
}

/** Starts `node bin/comptoir.mjs …` (the bundle the global setup built) as a real process; the caller waits for it (the runtime lives in this process: never block it). */
export function startCli(args: readonly string[], options: CliOptions): { child: ChildProcess; done: Promise<CliRun> } {
  return collect(spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env: childEnv(options.env), stdio: ['pipe', 'pipe', 'pipe'] }), options);
}

/** Runs a command line as a user would paste it into `sh`, with `comptoir` standing for `node bin/comptoir.mjs`. */
export function runShellCommand(command: string, options: CliOptions): Promise<CliRun> {
  const script = `comptoir() { "${process.execPath}" "${BIN}" "$@"; }\n${command}`;
  return collect(spawn('/bin/sh', ['-c', script], { cwd: options.cwd, env: childEnv(options.env), stdio: ['pipe', 'pipe', 'pipe'] }), options).done;
}

function collect(child: ChildProcess, options: CliOptions): { child: ChildProcess; done: Promise<CliRun> } {
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdin!.end(options.stdin ?? '');
  const done = new Promise<CliRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      // The global setup bundles the CLI: a run of the TypeScript sources would not test what ships.
      if (/running the TypeScript sources through tsx/.test(stderr)) reject(new Error(`bin/comptoir.mjs did not run the bundle: ${stderr.split('\n')[0]}`));
      else resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, done };
}

export const runCli = (args: readonly string[], options: CliOptions) => startCli(args, options).done;

/** The one JSON document a `--json` run printed on stdout. */
export function jsonOf(run: CliRun): any {
  try {
    return JSON.parse(run.stdout);
  } catch {
    throw new Error(`stdout is not one JSON document (exit ${run.code}):\n${run.stdout}\nstderr:\n${run.stderr}`);
  }
}
