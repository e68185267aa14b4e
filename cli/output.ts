import type { Writable } from 'node:stream';
import type { ReportedError } from './errors.ts';

export interface Streams {
  readonly stdout: Writable & { isTTY?: boolean };
  readonly stderr: Writable & { isTTY?: boolean; columns?: number };
}

/**
 * Where a command's words go. The result goes to stdout (one JSON document with `--json`);
 * notes, warnings and progress go to stderr, so stdout stays parseable.
 */
export class Output {
  private printed = false;

  constructor(
    readonly json: boolean,
    readonly streams: Streams,
  ) {}

  /** The command's result: `doc` with `--json`, else the human lines. */
  result(doc: unknown, human: () => string | readonly string[]): void {
    if (this.json) {
      if (this.printed) throw new Error('a command printed two JSON documents');
      this.printed = true;
      this.streams.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
      return;
    }
    const lines = human();
    const text = typeof lines === 'string' ? lines : lines.join('\n');
    if (text) this.streams.stdout.write(`${text}\n`);
  }

  /** Plain text on stdout outside `--json` (help, version). */
  text(text: string): void {
    this.streams.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** A note for people, on stderr. */
  note(line: string): void {
    this.streams.stderr.write(`${line}\n`);
  }

  /** `comptoir: <message> (<code>[, correlation id <id>])` on stderr, and `{"error": …}` on stdout with `--json`. */
  error(report: ReportedError): void {
    const correlation = report.correlationId ? `, correlation id ${report.correlationId}` : '';
    this.streams.stderr.write(`comptoir: ${report.message} (${report.code}${correlation})\n`);
    if (this.json && !this.printed) {
      this.printed = true;
      const { exitCode, ...error } = report;
      this.streams.stdout.write(`${JSON.stringify({ error: { ...error, exitCode } }, null, 2)}\n`);
    }
  }
}

/** Aligned columns, header first; empty cells shown as `-`. */
export function table(header: readonly string[], rows: readonly (readonly (string | number | undefined)[])[]): string[] {
  const cells = [header, ...rows.map((r) => r.map((c) => (c === undefined || c === '' ? '-' : String(c))))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : (c ?? '').padEnd(widths[i] ?? 0))).join('  ').trimEnd());
}

/** `key: value` lines with aligned values; undefined values are left out. */
export function fields(pairs: readonly (readonly [string, unknown])[]): string[] {
  const shown = pairs.filter(([, v]) => v !== undefined && v !== '');
  const width = Math.max(0, ...shown.map(([k]) => k.length));
  return shown.map(([k, v]) => `${`${k}:`.padEnd(width + 1)} ${Array.isArray(v) ? v.join(', ') : String(v)}`);
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 1536 → `1.5 KiB`. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}
