import type { ComptoirClient } from '../../sdk/client.ts';
import { PartFailedError, sendParts } from '../../sdk/multipart.ts';
import { CliError, EXIT } from '../errors.ts';
import type { Progress } from '../progress.ts';
import { putRange, TransferError } from './put.ts';
import type { StateFile } from './state.ts';

export interface PartsUpload {
  readonly client: ComptoirClient;
  readonly file: string;
  readonly state: StateFile;
  /** Part URLs already known (the first page that came with the version). */
  readonly urls?: ReadonlyMap<number, string>;
  /** Parts in flight at once (2 to 4). */
  readonly concurrency: number;
  readonly progress: Progress;
  /** Aborted by SIGINT/SIGTERM: parts in flight are dropped, no new part starts. */
  readonly signal?: AbortSignal;
}

/**
 * Storage no longer knows the multipart upload: the bucket's lifecycle rule aborted it as
 * incomplete, or it was completed or aborted elsewhere. Its parts cannot be resumed.
 */
export class UploadGoneError extends CliError {
  constructor(readonly version: number) {
    super(`storage no longer holds the multipart upload of version ${version}: run the same command again to upload the file as a new version`, 'upload_gone', EXIT.refused);
  }
}

/** S3 answers 404 NoSuchUpload to a part of an upload that was aborted or completed. */
export const isUploadGone = (error: unknown): boolean => error instanceof TransferError && (error.status === 404 || error.code === 'NoSuchUpload');

export interface UploadedPart {
  readonly partNumber: number;
  readonly etag: string;
}

/** The parts the state has no ETag for. */
export function missingParts(etags: Readonly<Record<string, string>>, partCount: number): number[] {
  return Array.from({ length: partCount }, (_, i) => i + 1).filter((n) => !etags[String(n)]);
}

/**
 * Uploads every part the state file lacks, a few at a time, each from a byte-range read of the file;
 * each ETag is on disk before the part counts as done. Answers every part, ready for completion.
 * Once `signal` aborts, the parts in flight fail and it throws after every part already sent is on disk.
 */
export async function uploadMissingParts(job: PartsUpload): Promise<UploadedPart[]> {
  const { state, signal } = job;
  const { datasetId, version, partSize, partCount, size } = state.current;
  try {
    await sendParts({
      api: job.client,
      version: { id: datasetId, n: version },
      parts: missingParts(state.current.etags, partCount),
      ...(job.urls ? { knownUrls: job.urls } : {}),
      concurrency: job.concurrency,
      put: async (n, url) => {
        let sent = 0;
        try {
          const range = { start: (n - 1) * partSize, end: Math.min(size, n * partSize) };
          const etag = await putRange(url, job.file, range, {}, (bytes) => {
            sent += bytes;
            job.progress.advance(bytes);
          }, signal);
          if (!etag) throw new TransferError(`storage gave part ${n} no ETag`, 502);
          return etag;
        } catch (error) {
          job.progress.advance(-sent);
          throw error;
        }
      },
      retryable: (error) => error instanceof TransferError && !isUploadGone(error),
      sent: (n, etag) => state.recordPart(n, etag),
    });
  } catch (error) {
    if (!(error instanceof PartFailedError)) throw error;
    if (isUploadGone(error.cause)) throw new UploadGoneError(version);
    throw partFailure(error.partNumber, error.cause);
  }
  const etags = state.current.etags;
  return Array.from({ length: partCount }, (_, i) => ({ partNumber: i + 1, etag: etags[String(i + 1)]! }));
}

function partFailure(n: number, error: unknown): Error {
  if (error instanceof CliError) return error;
  const status = error instanceof TransferError ? error.status : -1;
  const message = `part ${n} could not be uploaded (${(error as Error).message}); the parts already sent are recorded: run the same command again to resume`;
  if (status === 0) return new CliError(message, 'storage_unreachable', EXIT.unreachable);
  if (status === -1) return error as Error;
  return new CliError(message, 'storage_refused', EXIT.unexpected);
}
