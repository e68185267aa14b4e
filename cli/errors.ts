import { ApiError } from '../sdk/client.ts';

/** The exit codes of `comptoir`, as `comptoir --help` and docs/cli.md list them. */
export const EXIT = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  auth: 3,
  notFound: 4,
  refused: 5,
  unreachable: 6,
  verification: 7,
  timeout: 8,
  interrupted: 130,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODE_HELP: readonly (readonly [ExitCode, string])[] = [
  [EXIT.ok, 'success'],
  [EXIT.unexpected, 'unexpected error (including 5xx answers of the platform)'],
  [EXIT.usage, 'usage error: unknown command or flag, missing argument, input the API finds invalid (400)'],
  [EXIT.auth, 'authentication or authorisation: no key, unknown or revoked key (401), not allowed (403)'],
  [EXIT.notFound, 'not found (404)'],
  [EXIT.refused, 'refused by the platform: conflicting state (409) or business rule (422)'],
  [EXIT.unreachable, 'the platform cannot be reached'],
  [EXIT.verification, 'verification failed: checksum mismatch, version rejected, audit chain broken'],
  [EXIT.timeout, 'upload: the file is delivered but the platform has not published or rejected it within --timeout'],
  [EXIT.interrupted, 'upload: interrupted by Ctrl-C or SIGTERM; the message gives the command that resumes it'],
];

/** An error the CLI reports as one line, with a stable code and an exit code. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly code: string,
    readonly exitCode: ExitCode,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 'usage', EXIT.usage);
  }
}

export class VerificationError extends CliError {
  constructor(message: string, code: string, details?: unknown) {
    super(message, code, EXIT.verification, details);
  }
}

/** The exit code an API answer maps to. */
export function exitCodeOfStatus(status: number): ExitCode {
  if (status === 0) return EXIT.unreachable;
  if (status === 400) return EXIT.usage;
  if (status === 401 || status === 403) return EXIT.auth;
  if (status === 404) return EXIT.notFound;
  if (status === 409 || status === 422) return EXIT.refused;
  return EXIT.unexpected;
}

export interface ReportedError {
  readonly code: string;
  readonly message: string;
  readonly exitCode: ExitCode;
  readonly status?: number;
  /** Of a 5xx answer: the id the platform's operators find the failure under. */
  readonly correlationId?: string;
  readonly details?: unknown;
}

/** What any thrown value becomes on stderr, in `--json` output and as the exit code. */
export function reportOf(error: unknown): ReportedError {
  if (error instanceof CliError) return { code: error.code, message: error.message, exitCode: error.exitCode, ...(error.details !== undefined ? { details: error.details } : {}) };
  if (error instanceof ApiError) {
    const root = (error.cause as { cause?: { code?: string; message?: string } } | undefined)?.cause;
    const cause = root?.code ?? root?.message;
    return {
      code: error.code,
      message: error.status === 0 && cause ? `${error.message} (${cause})` : error.message,
      exitCode: exitCodeOfStatus(error.status),
      status: error.status,
      ...(error.status >= 500 && error.correlationId ? { correlationId: error.correlationId } : {}),
      ...(error.details !== undefined ? { details: error.details } : {}),
    };
  }
  const e = error as NodeJS.ErrnoException | undefined;
  if (e?.code === 'ENOENT' && e.path) return { code: 'file_not_found', message: `no such file: ${e.path}`, exitCode: EXIT.usage };
  if (e?.code === 'EACCES' && e.path) return { code: 'permission_denied', message: `permission denied: ${e.path}`, exitCode: EXIT.unexpected };
  return { code: 'unexpected', message: e?.message ?? String(error), exitCode: EXIT.unexpected };
}
