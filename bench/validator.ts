// Throughput of the CSV upload validator against a raw SHA-256 pass over the same 1 MiB chunks.
// Run: node --import tsx bench/validator.ts [megabytes]
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createValidator } from '../functions/domain/ingest/validation/index.ts';
import type { SchemaField } from '../schemas/dataset.ts';

const CHUNK = 1 << 20;
const CHUNKS = Math.round((Number(process.argv[2] ?? 200) * 1e6) / CHUNK);
const ROUNDS = 3;

const fields: SchemaField[] = [
  { name: 'id', type: 'integer', required: true },
  { name: 'amount', type: 'number' },
  { name: 'label', type: 'string' },
  { name: 'day', type: 'date' },
  { name: 'active', type: 'boolean' },
  { name: 'location', type: 'geopoint' },
];

/** Deterministic PRNG (mulberry32) so every run validates the same bytes. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LABELS = ['Gare de Lyon', 'Place Bellecour', 'Rue de la République, Lyon', 'Le "Grand" Parc', 'Hôtel de Ville', 'Zone artisanale nord'];

function row(id: number, rnd: () => number): string {
  const label = LABELS[Math.floor(rnd() * LABELS.length)]!;
  const quoted = label.includes(',') || label.includes('"') ? `"${label.replaceAll('"', '""')}"` : label;
  const month = String(1 + Math.floor(rnd() * 12)).padStart(2, '0');
  const day = String(1 + Math.floor(rnd() * 28)).padStart(2, '0');
  const lon = (rnd() * 10 - 5).toFixed(6);
  const lat = (42 + rnd() * 9).toFixed(6);
  return `${id},${(rnd() * 1e5).toFixed(2)},${quoted},20${10 + Math.floor(rnd() * 15)}-${month}-${day},${rnd() < 0.5 ? 'true' : 'false'},"${lon}, ${lat}"\n`;
}

function generate(): Buffer[] {
  const rnd = prng(42);
  const chunks: Buffer[] = [];
  let pending = Buffer.from('id,amount,label,day,active,location\n');
  let id = 1;
  while (chunks.length < CHUNKS) {
    const parts: string[] = [];
    for (let size = 0; size < CHUNK; ) {
      const r = row(id++, rnd);
      parts.push(r);
      size += r.length;
    }
    const bytes = Buffer.concat([pending, Buffer.from(parts.join(''))]);
    let at = 0;
    // Cut at exact 1 MiB offsets, so rows (and characters) straddle chunk boundaries.
    for (; at + CHUNK <= bytes.length && chunks.length < CHUNKS; at += CHUNK) chunks.push(Buffer.from(bytes.subarray(at, at + CHUNK)));
    pending = bytes.subarray(at);
  }
  // The remainder ends on a row boundary, so the file is valid end to end.
  chunks.push(Buffer.from(pending));
  return chunks;
}

function validate(chunks: readonly Buffer[]): { ms: number; rows: number; errors: number } {
  const t0 = performance.now();
  const v = createValidator('csv', fields);
  for (const c of chunks) v.push(c);
  const report = v.finish();
  return { ms: performance.now() - t0, rows: report.rows, errors: report.errorCount };
}

function sha256(chunks: readonly Buffer[]): number {
  const t0 = performance.now();
  const h = createHash('sha256');
  for (const c of chunks) h.update(c);
  h.digest('hex');
  return performance.now() - t0;
}

const chunks = generate();
const bytes = chunks.reduce((n, c) => n + c.length, 0);
const mb = bytes / 1e6;
validate(chunks.slice(0, 16));
let best = Infinity;
let bestSha = Infinity;
let last = { ms: 0, rows: 0, errors: 0 };
for (let r = 0; r < ROUNDS; r++) {
  last = validate(chunks);
  best = Math.min(best, last.ms);
  bestSha = Math.min(bestSha, sha256(chunks));
}
console.log(`${mb.toFixed(1)} MB in ${chunks.length} chunks of 1 MiB (last one shorter), ${last.rows} rows, ${last.errors} errors (best of ${ROUNDS})`);
console.log(`validator  ${(mb / (best / 1000)).toFixed(0).padStart(6)} MB/s`);
console.log(`sha256     ${(mb / (bestSha / 1000)).toFixed(0).padStart(6)} MB/s`);
console.log(`validator costs ${(best / bestSha).toFixed(2)}x a SHA-256 pass`);
