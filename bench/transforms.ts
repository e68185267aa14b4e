// Enforced-variant throughput: drop + redact + pseudonymise + generalise on a generated ~200 MB CSV, streamed in
// 1 MiB chunks through the byte-level transformer and through a straightforward papaparse pipeline.
// Each pipeline runs in its own child process, so its peak RSS is its own.
// Run: node --import tsx bench/transforms.ts [megabytes]
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import Papa from 'papaparse';
import { createCsvTransformer, planTransforms, type TransformSpec } from '../functions/domain/enforcement/index.ts';
import type { SchemaField } from '../schemas/dataset.ts';

const CHUNK = 1 << 20;
const MB = 1e6;
const MIB = 1024 * 1024;
const TARGET = (process.argv.includes('--child') ? 0 : Number(process.argv[2] ?? 200)) * MB;
const ROUNDS = 2;
/** Average generated row length, to aim vehicle_id at ~10% distinct values. */
const ROW_BYTES = 70;
const DISTINCT = Math.round(TARGET / ROW_BYTES / 10);
const DECIMALS = 3;
const KEY = new Uint8Array(32).fill(7);
/** Same cache bound as the transformer's, for a fair baseline. */
const CACHE_ENTRIES = 1 << 19;

const fields: SchemaField[] = [
  { name: 'vehicle_id', type: 'string', personal: true },
  { name: 'driver_name', type: 'string', personal: true },
  { name: 'lat', type: 'number' },
  { name: 'lon', type: 'number' },
  { name: 'speed', type: 'number' },
  { name: 'ts', type: 'datetime' },
];
const specs: TransformSpec[] = [
  { kind: 'drop-fields', fields: ['speed'] },
  { kind: 'redact-fields', fields: ['driver_name'] },
  { kind: 'pseudonymise-fields', fields: ['vehicle_id'] },
  { kind: 'generalise-coordinates', position: { lat: 'lat', lon: 'lon' }, decimals: DECIMALS },
];
const OUTPUT_COLUMNS = ['vehicle_id', 'driver_name', 'lat', 'lon', 'ts'];

/** Deterministic PRNG (mulberry32) so every run transforms the same bytes. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DRIVERS = ['Jean Martin', 'Marie Dubois', 'Hélène Lefèvre', '"Dupont, Luc"', 'Zoë Garnier', 'François Roux', 'Anaïs Bernard', 'Noé Petit'];

/** Writes the CSV to `path` in 1 MiB chunks; returns its size and the number of distinct vehicle ids. */
function generate(path: string): { bytes: number; rows: number; distinct: number } {
  const rnd = prng(42);
  const seen = new Uint8Array(DISTINCT);
  let distinct = 0;
  let rows = 0;
  let bytes = 0;
  const fd = openSync(path, 'w');
  let parts: string[] = ['vehicle_id,driver_name,lat,lon,speed,ts\n'];
  let size = parts[0]!.length;
  const t0 = Date.UTC(2024, 0, 1) / 1000;
  while (bytes + size < TARGET) {
    const id = Math.floor(rnd() * DISTINCT);
    if (seen[id] === 0) {
      seen[id] = 1;
      distinct++;
    }
    const ts = new Date((t0 + rows * 3) * 1000).toISOString().slice(0, 19) + 'Z';
    const row = `VH-${String(id).padStart(7, '0')},${DRIVERS[Math.floor(rnd() * DRIVERS.length)]},${(45.6 + rnd() * 0.3).toFixed(6)},${(4.7 + rnd() * 0.3).toFixed(6)},${(rnd() * 90).toFixed(1)},${ts}\n`;
    parts.push(row);
    size += row.length;
    rows++;
    if (size >= CHUNK) {
      bytes += writeSync(fd, parts.join(''));
      parts = [];
      size = 0;
    }
  }
  bytes += writeSync(fd, parts.join(''));
  closeSync(fd);
  return { bytes, rows, distinct };
}

/** The file as a stream of 1 MiB chunks (one reused buffer, as a consumer that copies what it keeps may use). */
function* chunks(path: string): Generator<Uint8Array> {
  const fd = openSync(path, 'r');
  const buf = new Uint8Array(CHUNK);
  try {
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) yield buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

function rawRead(path: string): number {
  const t0 = performance.now();
  let n = 0;
  for (const c of chunks(path)) n += c.length;
  return performance.now() - t0;
}

let peakRss = 0;
function sampleRss(): void {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}

function ours(path: string): { ms: number; out: number; rows: number } {
  const t0 = performance.now();
  const plan = planTransforms(specs, fields);
  const t = createCsvTransformer(plan, { hmacKey: KEY });
  let out = 0;
  let k = 0;
  for (const c of chunks(path)) {
    out += t.push(c).length;
    if ((++k & 15) === 0) sampleRss();
  }
  out += t.finish().length;
  sampleRss();
  return { ms: performance.now() - t0, out, rows: t.stats().rowsOut };
}

/** papaparse → plain objects → Papa.unparse, with the same four transforms and an HMAC cache of the same bound. */
function papa(path: string): Promise<{ ms: number; out: number; rows: number }> {
  const t0 = performance.now();
  const cache = new Map<string, string>();
  const pseudonym = (v: string): string => {
    if (v === '') return '';
    let p = cache.get(v);
    if (p === undefined) {
      if (cache.size >= CACHE_ENTRIES) cache.clear();
      p = createHmac('sha256', KEY).update(v).digest('hex').slice(0, 32);
      cache.set(v, p);
    }
    return p;
  };
  const round = (v: string): string => {
    const x = Number(v);
    return v === '' || !Number.isFinite(x) ? '' : x.toFixed(DECIMALS);
  };
  const decoder = new StringDecoder('utf8');
  const text = Readable.from(
    (function* () {
      for (const c of chunks(path)) yield decoder.write(Buffer.from(c.buffer, c.byteOffset, c.length));
      yield decoder.end();
    })(),
  );
  let out = 0;
  let rows = 0;
  let header = true;
  return new Promise((resolve, reject) => {
    Papa.parse<Record<string, string>>(text as unknown as File, {
      header: true,
      skipEmptyLines: true,
      chunk: (results) => {
        const data = results.data.map((row) => {
          delete row.speed;
          row.driver_name = '';
          row.vehicle_id = pseudonym(row.vehicle_id ?? '');
          row.lat = round(row.lat ?? '');
          row.lon = round(row.lon ?? '');
          return row;
        });
        rows += data.length;
        out += Buffer.from(Papa.unparse(data, { header, columns: OUTPUT_COLUMNS, newline: '\n' }) + '\n').length;
        header = false;
      },
      complete: () => resolve({ ms: performance.now() - t0, out, rows }),
      error: (e: Error) => reject(e),
    });
  });
}

type Run = { ms: number; out: number; rows: number; peakRss: number };

/** Child process: runs one pipeline ROUNDS times over the file, prints the best run and its peak RSS as JSON. */
async function child(which: string, path: string): Promise<void> {
  let best = { ms: Infinity, out: 0, rows: 0 };
  for (let r = 0; r < ROUNDS; r++) {
    const run = which === 'ours' ? ours(path) : which === 'papa' ? await papa(path) : { ms: rawRead(path), out: 0, rows: 0 };
    if (run.ms < best.ms) best = run;
  }
  const peak = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);
  process.stdout.write(JSON.stringify({ ...best, peakRss: peak } satisfies Run));
}

function runChild(which: string, path: string): Run {
  const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', which, path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${which} child exited with ${r.status}`);
  return JSON.parse(r.stdout) as Run;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'comptoir-bench-transforms-'));
  const path = join(dir, 'input.csv');
  try {
    const gen = generate(path);
    const mb = gen.bytes / MB;
    console.log(
      `${mb.toFixed(1)} MB, ${gen.rows} rows, vehicle_id ${gen.distinct} distinct (${((100 * gen.distinct) / gen.rows).toFixed(1)}%), 1 MiB chunks, best of ${ROUNDS}`,
    );
    console.log(`transforms: drop speed, redact driver_name, pseudonymise vehicle_id, round lat/lon to ${DECIMALS} decimals`);
    const raw = runChild('raw', path);
    const best = runChild('ours', path);
    const baseline = runChild('papa', path);
    const oursMBps = mb / (best.ms / 1000);
    const papaMBps = mb / (baseline.ms / 1000);
    console.log(`raw 1 MiB reads of the file ${(mb / (raw.ms / 1000)).toFixed(0).padStart(7)} MB/s  ${(raw.peakRss / MIB).toFixed(0).padStart(4)} MiB peak RSS  (the process alone: node, tsx, modules)`);
    console.log(`enforcement transformer     ${oursMBps.toFixed(1).padStart(7)} MB/s  ${(best.peakRss / MIB).toFixed(0).padStart(4)} MiB peak RSS  (${best.rows} rows, ${(best.out / MB).toFixed(1)} MB out)`);
    console.log(`papaparse pipeline          ${papaMBps.toFixed(1).padStart(7)} MB/s  ${(baseline.peakRss / MIB).toFixed(0).padStart(4)} MiB peak RSS  (${baseline.rows} rows, ${(baseline.out / MB).toFixed(1)} MB out)`);
    console.log(`ratio                       ${(oursMBps / papaMBps).toFixed(2).padStart(7)}x  (target >= 2; transformer peak RSS target < 200 MiB)`);
    if (best.rows !== baseline.rows) console.log(`WARNING: row counts differ (${best.rows} vs ${baseline.rows})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const at = process.argv.indexOf('--child');
if (at >= 0) await child(process.argv[at + 1]!, process.argv[at + 2]!);
else await main();
