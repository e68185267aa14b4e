/** How long a failing job waits before its next attempt: doubling from `initialMs`, capped at `maxMs`. */
export interface Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

const DEFAULT_BACKOFF: Backoff = { initialMs: 1_000, maxMs: 30_000 };

/**
 * Runs a job in the background, coalescing kicks that arrive while it runs into one more run.
 * While the job fails (a dependency is down) it backs off and says so once; it says so again when it is back.
 */
export class BackgroundJob {
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private retryAt = 0;

  constructor(
    private readonly job: () => Promise<unknown>,
    /** Called with the first failure of a run of failures. */
    private readonly onError: (error: unknown) => void,
    private readonly options: { onRecovered?: () => void; backoff?: Backoff; now?: () => number } = {},
  ) {}

  /** Also runs every `ms` (the schedule). */
  every(ms: number): this {
    this.timer = setInterval(() => void this.kick(), ms);
    this.timer.unref();
    return this;
  }

  /** Requests a run; resolves when a run that started after this call has finished (at once while backing off). */
  kick(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    if (this.failures > 0 && this.now() < this.retryAt) return Promise.resolve();
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.job();
          if (this.failures > 0) {
            this.failures = 0;
            this.options.onRecovered?.();
          }
        } catch (error) {
          this.failures += 1;
          const { initialMs, maxMs } = this.options.backoff ?? DEFAULT_BACKOFF;
          this.retryAt = this.now() + Math.min(maxMs, initialMs * 2 ** (this.failures - 1));
          if (this.failures === 1) this.onError(error);
          // Kicks that came meanwhile wait for the backoff too.
          return;
        }
      } while (this.again);
    })().finally(() => (this.running = undefined));
    return this.running;
  }

  /** True while the last run failed and the job is backing off. */
  get failing(): boolean {
    return this.failures > 0;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
