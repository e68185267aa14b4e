/** Runs a job in the background, coalescing kicks that arrive while it runs into one more run. */
export class BackgroundJob {
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly job: () => Promise<unknown>,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Also runs every `ms` (the schedule). */
  every(ms: number): this {
    this.timer = setInterval(() => void this.kick(), ms);
    this.timer.unref();
    return this;
  }

  /** Requests a run; resolves when a run that started after this call has finished. */
  kick(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.job();
        } catch (error) {
          this.onError(error);
        }
      } while (this.again);
    })().finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
