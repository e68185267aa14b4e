import { COMMA, CR, LF, QUOTE, SPACE } from '../ingest/validation/bytes.ts';
import { geopointComma, skipSpaces, trimEnd, writeRounded } from './numbers.ts';
import { PlannedScanner } from './planned-scanner.ts';
import { PSEUDONYM_LENGTH, Pseudonymiser } from './pseudonymise.ts';
import type { CsvTransformer, GroupCounts, TransformPlan, TransformStats } from './types.ts';

// What happens to a column, strongest first among the field transforms; COPY copies its raw bytes.
const COPY = 0;
const DROP = 1;
const REDACT = 2;
const PSEUDO = 3;
const ROUND = 4;
const GEO = 5;

/** Most bytes a rounded number or geopoint may take in the output. */
const ROUNDED_MAX = 40;
const GEO_MAX = 2 * ROUNDED_MAX + 4;
const EMPTY = new Uint8Array(0);

/** Options of createCsvTransformer. */
export interface CsvTransformerOptions {
  /** Per-licence key of pseudonymise-fields (at least 16 bytes). */
  hmacKey: Uint8Array;
  /** From createGroupCounter on the same file and plan; required when the plan needs two passes. */
  groupCounts?: GroupCounts;
}

/**
 * Streams CSV through a plan. Rows are filtered on their original values (exclusion zones, then k-anonymity), then
 * each column gets one action: drop, redact, pseudonymise, round, or a raw copy. Runs of copied columns are copied
 * as one byte range (delimiters included, quoting kept); only cells that change are decoded, and transformed cells
 * are quoted only when needed. The output keeps the input's delimiter, line-break style (from the header line),
 * and BOM; every record ends with a line break. Memory: the unfinished last record and one output buffer per push.
 */
class Transformer extends PlannedScanner implements CsvTransformer {
  private readonly pseudonymiser: Pseudonymiser | null;
  private readonly groups: ReadonlyMap<string, number> | null;
  private readonly counts: TransformStats = { rowsIn: 0, rowsOut: 0, rowsDropped: { zone: 0, kAnonymity: 0 } };
  // The compiled record program: one action and parameter per column, and segments for whole records.
  private action = new Uint8Array(0);
  private param = new Int32Array(0);
  private segOp = new Uint8Array(0);
  private segFrom = new Int32Array(0);
  private segTo = new Int32Array(0);
  private segParam = new Int32Array(0);
  /** Bytes a record's output may take beyond its input length. */
  private extra = 0;
  /** The output has one column: an empty value is written `""`, or it would read as a blank line. */
  private single = false;
  private out: Uint8Array = EMPTY;
  private o = 0;

  constructor(plan: TransformPlan, options: CsvTransformerOptions) {
    super(plan);
    if (!(options.hmacKey instanceof Uint8Array)) throw new TypeError('hmacKey must be a Uint8Array');
    const pseudonymise = plan.steps.some((s) => s.kind === 'pseudonymise-fields');
    this.pseudonymiser = pseudonymise ? new Pseudonymiser(options.hmacKey) : null;
    if (!pseudonymise && options.hmacKey.length < 16) throw new RangeError('the pseudonymisation key must have at least 16 bytes');
    if (plan.needsTwoPasses) {
      if (options.groupCounts === undefined) throw new RangeError('k-anonymity needs the group counts of a first pass (createGroupCounter)');
      if (options.groupCounts.fingerprint !== plan.fingerprint) throw new RangeError('the group counts were made for another plan');
      this.groups = options.groupCounts.groups;
    } else {
      this.groups = null;
    }
  }

  push(chunk: Uint8Array): Uint8Array {
    this.out = new Uint8Array(chunk.length + (chunk.length >> 2) + 4096);
    this.o = 0;
    this.feed(chunk);
    return this.take();
  }

  finish(): Uint8Array {
    this.out = new Uint8Array(4096);
    this.o = 0;
    this.end();
    return this.take();
  }

  stats(): TransformStats {
    return { ...this.counts, rowsDropped: { ...this.counts.rowsDropped } };
  }

  private take(): Uint8Array {
    const result = this.out.subarray(0, this.o);
    this.out = EMPTY;
    this.o = 0;
    return result;
  }

  private reserve(bytes: number): void {
    if (this.o + bytes <= this.out.length) return;
    const bigger = new Uint8Array(Math.max(this.o + bytes, this.out.length * 2));
    bigger.set(this.out.subarray(0, this.o));
    this.out = bigger;
  }

  protected onHeader(buf: Uint8Array, names: string[]): void {
    this.resolveChecks(names);
    this.compile(names);
    // planTransforms refuses to drop every field; a header of only dropped columns yields an empty file.
    if (this.segOp.length === 0) return;
    let need = this.bom ? 5 : 2;
    for (let k = 0; k < this.cells; k++) need += this.ends[k]! - this.starts[k]! + 1;
    this.reserve(need);
    const out = this.out;
    let o = this.o;
    if (this.bom) {
      out[o++] = 0xef;
      out[o++] = 0xbb;
      out[o++] = 0xbf;
    }
    let first = true;
    for (let k = 0; k < this.width; k++) {
      if (this.action[k] === DROP) continue;
      if (!first) out[o++] = this.delim;
      first = false;
      o = copy(buf, this.starts[k]!, this.ends[k]!, out, o);
    }
    this.o = this.eol(out, o);
  }

  /** Gives each column its strongest action and merges runs of copied columns into single segments. */
  private compile(names: readonly string[]): void {
    const drop = new Set<string>();
    const redact = new Set<string>();
    const pseudo = new Set<string>();
    const round = new Map<string, number>();
    const geo = new Map<string, number>();
    const fewest = (m: Map<string, number>, name: string, d: number): void => {
      m.set(name, Math.min(m.get(name) ?? d, d));
    };
    for (const step of this.plan.steps) {
      if (step.kind === 'drop-fields') step.fields.forEach((f) => drop.add(f));
      else if (step.kind === 'redact-fields') step.fields.forEach((f) => redact.add(f));
      else if (step.kind === 'pseudonymise-fields') step.fields.forEach((f) => pseudo.add(f));
      else if (step.kind === 'generalise-coordinates') {
        if ('geopoint' in step.position) fewest(geo, step.position.geopoint, step.decimals);
        else {
          fewest(round, step.position.lat, step.decimals);
          fewest(round, step.position.lon, step.decimals);
        }
      }
    }
    const n = names.length;
    this.action = new Uint8Array(n);
    this.param = new Int32Array(n);
    names.forEach((name, k) => {
      if (drop.has(name)) this.action[k] = DROP;
      else if (redact.has(name)) this.action[k] = REDACT;
      else if (pseudo.has(name)) this.action[k] = PSEUDO;
      else if (geo.has(name)) {
        this.action[k] = GEO;
        this.param[k] = geo.get(name)!;
      } else if (round.has(name)) {
        this.action[k] = ROUND;
        this.param[k] = round.get(name)!;
      }
    });
    const ops: number[] = [];
    const from: number[] = [];
    const to: number[] = [];
    const params: number[] = [];
    let extra = 4;
    for (let k = 0; k < n; k++) {
      const a = this.action[k]!;
      if (a === DROP) continue;
      extra += 1 + (a === PSEUDO ? PSEUDONYM_LENGTH : a === ROUND ? ROUNDED_MAX : a === GEO ? GEO_MAX : 0);
      const last = ops.length - 1;
      if (a === COPY && last >= 0 && ops[last] === COPY && to[last] === k - 1) {
        to[last] = k;
        continue;
      }
      ops.push(a);
      from.push(k);
      to.push(k);
      params.push(this.param[k]!);
    }
    this.segOp = Uint8Array.from(ops);
    this.segFrom = Int32Array.from(from);
    this.segTo = Int32Array.from(to);
    this.segParam = Int32Array.from(params);
    this.extra = extra + 2;
    this.single = ops.length === 1 && from[0] === to[0];
  }

  protected onRecord(buf: Uint8Array): void {
    const counts = this.counts;
    counts.rowsIn++;
    if (this.zoneColumns.length > 0 && this.inZone(buf)) {
      counts.rowsDropped.zone++;
      return;
    }
    if (this.groups !== null && (this.groups.get(this.groupKey(buf)) ?? 0) < this.k) {
      counts.rowsDropped.kAnonymity++;
      return;
    }
    counts.rowsOut++;
    if (this.segOp.length === 0) return;
    const width = this.width;
    if (this.cells !== width) return this.ragged(buf);
    const starts = this.starts;
    const ends = this.ends;
    this.reserve(ends[width - 1]! - starts[0]! + this.extra);
    const out = this.out;
    const d = this.delim;
    const ops = this.segOp;
    const from = this.segFrom;
    let o = this.o;
    for (let j = 0; j < ops.length; j++) {
      if (j > 0) out[o++] = d;
      const op = ops[j]!;
      if (op === COPY) o = copy(buf, starts[from[j]!]!, ends[this.segTo[j]!]!, out, o);
      else o = this.transform(buf, op, from[j]!, this.segParam[j]!, out, o);
    }
    this.o = this.eol(out, this.single && o === this.o ? emptyCell(out, o) : o);
  }

  /** A record with more or fewer cells than the header: missing cells are empty, extra cells are left out. */
  private ragged(buf: Uint8Array): void {
    const width = this.width;
    const cells = this.cells;
    this.reserve((cells > 0 ? this.ends[cells - 1]! - this.starts[0]! : 0) + width * (GEO_MAX + 1) + 4);
    const out = this.out;
    let o = this.o;
    let first = true;
    for (let k = 0; k < width; k++) {
      const a = this.action[k]!;
      if (a === DROP) continue;
      if (!first) out[o++] = this.delim;
      first = false;
      if (k >= cells) continue;
      o = a === COPY ? copy(buf, this.starts[k]!, this.ends[k]!, out, o) : this.transform(buf, a, k, this.param[k]!, out, o);
    }
    this.o = this.eol(out, this.single && o === this.o ? emptyCell(out, o) : o);
  }

  /** Writes the transformed value of cell k; an empty or unreadable value becomes an empty cell. */
  private transform(buf: Uint8Array, op: number, k: number, decimals: number, out: Uint8Array, o: number): number {
    if (op === REDACT) return o;
    this.value(buf, k);
    const b = this.vb;
    const s = this.vs;
    const e = this.ve;
    if (s === e) return o;
    if (op === PSEUDO) return this.pseudonymiser!.write(b, s, e, out, o);
    if (op === ROUND) {
      const w = writeRounded(b, s, e, decimals, this.decimalComma, out, o);
      return w < 0 ? o : w;
    }
    // A geopoint "lon, lat": numbers with `.`, so only a `,` delimiter forces quotes.
    const comma = geopointComma(b, s, e);
    if (comma < 0) return o;
    const quote = this.delim === COMMA;
    let w = quote ? o + 1 : o;
    w = writeRounded(b, s, trimEnd(b, s, comma), decimals, false, out, w);
    if (w < 0) return o;
    out[w++] = COMMA;
    out[w++] = SPACE;
    w = writeRounded(b, skipSpaces(b, comma + 1, e), e, decimals, false, out, w);
    if (w < 0) return o;
    if (quote) {
      out[o] = QUOTE;
      out[w++] = QUOTE;
    }
    return w;
  }

  private eol(out: Uint8Array, o: number): number {
    if (this.crlf) out[o++] = CR;
    out[o++] = LF;
    return o;
  }
}

/** Writes `""`. */
function emptyCell(out: Uint8Array, o: number): number {
  out[o] = QUOTE;
  out[o + 1] = QUOTE;
  return o + 2;
}

/** Copies b[s..e) to out[o..]; a loop for the short ranges that dominate, the native copy for long ones. */
function copy(b: Uint8Array, s: number, e: number, out: Uint8Array, o: number): number {
  if (e - s < 64) {
    for (let i = s; i < e; i++) out[o++] = b[i]!;
    return o;
  }
  out.set(b.subarray(s, e), o);
  return o + e - s;
}

/** Streams CSV through the plan: push() returns output bytes ready so far; finish() the rest. */
export function createCsvTransformer(plan: TransformPlan, options: CsvTransformerOptions): CsvTransformer {
  return new Transformer(plan, options);
}
