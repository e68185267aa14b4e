import { CliError, EXIT } from '../errors.ts';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Turns Ctrl-C and SIGTERM into an abort signal for the length of an upload, so that it stops at a
 * safe point (parts in flight dropped, every recorded part on disk) instead of dying mid-write.
 */
export class Interruption {
  private readonly controller = new AbortController();
  private readonly onSignal = (signal: NodeJS.Signals) => {
    // A second signal while stopping: the user insists.
    if (this.controller.signal.aborted) process.exit(EXIT.interrupted);
    this.controller.abort(new InterruptedError(`interrupted by ${signal}`, { signal }));
  };

  constructor() {
    for (const name of SIGNALS) process.on(name, this.onSignal);
  }

  /** Aborted once a signal arrived; handed to every step that can stop early. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Gives the signals back to Node's default handling. */
  dispose(): void {
    for (const name of SIGNALS) process.off(name, this.onSignal);
  }
}

/** The upload was stopped by SIGINT or SIGTERM; its message says how to pick it up again. Exit code 130, as a shell reports Ctrl-C. */
export class InterruptedError extends CliError {
  constructor(message: string, details?: unknown) {
    super(message, 'interrupted', EXIT.interrupted, details);
  }
}

/** A word of a shell command, quoted only when it must be. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
