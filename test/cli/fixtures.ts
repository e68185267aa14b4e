import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { TestRuntime } from '../support/runtime.ts';
import { startCli, type CliOptions, type CliRun } from './run-cli.ts';

export const MIB = 1024 * 1024;
export const SCHEMA = { fields: [{ name: 'station', type: 'string', required: true }, { name: 'count', type: 'integer' }, { name: 'measuredOn', type: 'date' }] };

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** A valid CSV of a little more than `bytes`, written by streaming (never whole in memory); answers its rows. */
export async function writeCsv(path: string, bytes: number): Promise<number> {
  const out = createWriteStream(path);
  out.write('station,count,measuredOn\n');
  const block = Array.from({ length: 4096 }, (_, i) => `Station-${String(i).padStart(6, '0')},${i},2026-11-${String((i % 28) + 1).padStart(2, '0')}\n`).join('');
  let written = 0;
  let rows = 0;
  while (written < bytes) {
    if (!out.write(block)) await once(out, 'drain');
    written += block.length;
    rows += 4096;
  }
  out.end();
  await once(out, 'finish');
  return rows;
}

/** The upload state files in `directory`. */
export const stateFiles = async (directory: string) => (await readdir(directory).catch(() => [] as string[])).filter((f) => f.endsWith('.json'));

/** Every file in `directory`, state files and anything else left beside them. */
export const filesIn = async (directory: string) => (await readdir(directory).catch(() => [] as string[])).sort();

/** Starts `comptoir upload …` and sends it `signal` once its state file records two parts or more. */
export async function uploadSignalledAfterTwoParts(args: readonly string[], options: CliOptions & { readonly stateDir: string }, signal: NodeJS.Signals): Promise<CliRun> {
  const run = startCli(['upload', ...args], options);
  const deadline = Date.now() + 20_000;
  for (;;) {
    expect(Date.now(), 'the state file never recorded two parts').toBeLessThan(deadline);
    expect(run.child.exitCode, 'the upload finished before it could be interrupted').toBeNull();
    const [name] = await stateFiles(options.stateDir);
    const state = name ? JSON.parse(await readFile(join(options.stateDir, name), 'utf8').catch(() => '{}')) : undefined;
    if (state?.etags && Object.keys(state.etags).length >= 2) break;
    await sleep(10);
  }
  run.child.kill(signal);
  return run.done;
}

/** Starts `comptoir upload …`, SIGKILLs it once its state file records two parts or more, and answers that state as left on disk. */
export async function uploadKilledAfterTwoParts(args: readonly string[], options: CliOptions & { readonly stateDir: string }): Promise<any> {
  const killed = await uploadSignalledAfterTwoParts(args, options, 'SIGKILL');
  expect(killed.signal).toBe('SIGKILL');
  expect(killed.stdout).toBe('');
  const files = await stateFiles(options.stateDir);
  expect(files).toHaveLength(1);
  return JSON.parse(await readFile(join(options.stateDir, files[0]!), 'utf8'));
}

/** The operator's CSV dataset of meter readings, registered through the API; answers its id. */
export async function createMeterDataset(t: TestRuntime): Promise<string> {
  const res = await t.call('POST', '/v1/datasets', {
    key: t.keys.dsp.key,
    body: { title: 'Relevés des compteurs', description: 'Index journaliers', theme: 'water', classification: 'shared', format: 'csv', schema: SCHEMA },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}
