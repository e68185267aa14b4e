import { formatBytes } from './output.ts';

export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

const REDRAW_MS = 100;

/**
 * Progress of a transfer on stderr: a redrawn bar on a terminal, otherwise one line per 10 % at
 * most. Shows percent, bytes and rate; never writes to stdout.
 */
export class Progress {
  private done = 0;
  private readonly startedAt = Date.now();
  private lastDraw = 0;
  private lastDecile = -1;
  private finished = false;
  private readonly baseline: number;

  constructor(
    private readonly stream: ProgressStream,
    private readonly label: string,
    /** Unknown when storage gave no length: bytes and rate only. */
    private readonly total: number | undefined,
    already = 0,
  ) {
    this.done = already;
    this.baseline = already;
    if (!this.tty) this.lastDecile = Math.floor(this.percent() / 10);
  }

  private get tty(): boolean {
    return this.stream.isTTY === true;
  }

  private percent(): number {
    if (this.total === undefined) return 0;
    return this.total === 0 ? 100 : Math.min(100, (this.done / this.total) * 100);
  }

  /** Bytes moved since this progress started (not counting what was already there). */
  private rate(): number {
    const seconds = (Date.now() - this.startedAt) / 1000;
    return seconds > 0 ? (this.done - this.baseline) / seconds : 0;
  }

  private line(): string {
    const rate = `${formatBytes(Math.round(this.rate()))}/s`;
    if (this.total === undefined) return `${this.label} ${formatBytes(this.done)}  ${rate}`;
    return `${this.label} ${this.percent().toFixed(0).padStart(3)}%  ${formatBytes(this.done)} / ${formatBytes(this.total)}  ${rate}`;
  }

  /** Adds `bytes` (negative when a failed part is given back). */
  advance(bytes: number): void {
    if (this.finished) return;
    this.done = Math.max(0, Math.min(this.total ?? Number.MAX_SAFE_INTEGER, this.done + bytes));
    if (this.tty) {
      const now = Date.now();
      if (now - this.lastDraw < REDRAW_MS) return;
      this.lastDraw = now;
      this.draw();
      return;
    }
    if (this.total === undefined) return;
    const decile = Math.floor(this.percent() / 10);
    if (decile > this.lastDecile) {
      this.lastDecile = decile;
      this.stream.write(`${this.line()}\n`);
    }
  }

  private draw(): void {
    if (this.total === undefined) {
      this.stream.write(`\r${this.line()}\u001b[K`);
      return;
    }
    const width = Math.max(10, Math.min(30, (this.stream.columns ?? 80) - 60));
    const filled = Math.round((this.percent() / 100) * width);
    this.stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.line()}\u001b[K`);
  }

  /** Draws the final state and ends the line. */
  finish(): void {
    if (this.finished) return;
    if (this.tty) {
      this.draw();
      this.stream.write('\n');
    } else if (this.total === undefined || (this.lastDecile < 10 && this.done >= this.total)) {
      this.stream.write(`${this.line()}\n`);
    }
    this.finished = true;
  }

  /** Ends a bar interrupted by an error, so the error starts on its own line. */
  abort(): void {
    if (this.finished) return;
    if (this.tty) this.stream.write('\n');
    this.finished = true;
  }
}
