import type { ComptoirClient } from '../../sdk/client.ts';
import { sleep } from '../command.ts';
import { CliError, EXIT } from '../errors.ts';
import type { Progress } from '../progress.ts';
import { putRange, TransferError } from './put.ts';
import type { StateFile } from './state.ts';

/** Part URLs the API hands out per request. */
const URL_PAGE = 100;
const ATTEMPTS = 4;

export interface PartsUpload {
  readonly client: ComptoirClient;
  readonly file: string;
  readonly state: StateFile;
  /** Part URLs already known (the first page that came with the version). */
  readonly urls?: ReadonlyMap<number, string>;
  /** Parts in flight at once (2 to 4). */
  readonly concurrency: number;
  readonly progress: Progress;
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
 */
export async function uploadMissingParts(job: PartsUpload): Promise<UploadedPart[]> {
  const { client, state } = job;
  const { datasetId, version, partSize, partCount, size } = state.current;
  const urls = new Map(job.urls ?? []);
  const params = { id: datasetId, n: version };
  const freshUrls = async (partNumbers: number[]) => {
    const answer = await client.call('partUrls', { params, body: { partNumbers } });
    for (const p of answer.parts) urls.set(p.partNumber, p.url);
  };
  const rangeOf = (n: number) => ({ start: (n - 1) * partSize, end: Math.min(size, n * partSize) });

  const uploadPart = async (n: number) => {
    for (let attempt = 1; ; attempt++) {
      let sent = 0;
      try {
        const url = urls.get(n);
        if (!url) throw new Error(`no URL for part ${n}`);
        const etag = await putRange(url, job.file, rangeOf(n), {}, (bytes) => {
          sent += bytes;
          job.progress.advance(bytes);
        });
        if (!etag) throw new TransferError(`storage gave part ${n} no ETag`, 502);
        await state.recordPart(n, etag);
        return;
      } catch (error) {
        job.progress.advance(-sent);
        if (isUploadGone(error)) throw new UploadGoneError(version);
        if (!(error instanceof TransferError) || attempt >= ATTEMPTS) throw partFailure(n, error);
        await sleep(250 * 2 ** attempt);
        // An expired or refused signature needs a new URL; after a failure, take one anyway.
        await freshUrls([n]);
      }
    }
  };

  const todo = missingParts(state.current.etags, partCount);
  for (let i = 0; i < todo.length; i += URL_PAGE) {
    const batch = todo.slice(i, i + URL_PAGE);
    const unknown = batch.filter((n) => !urls.has(n));
    if (unknown.length) await freshUrls(unknown);
    await pool(batch, job.concurrency, uploadPart);
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

/**
 * Runs `work` over `items` with at most `concurrency` at once. After a failure no new item starts;
 * the ones in flight finish (and are recorded), then the first error is thrown.
 */
async function pool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  if (failure !== undefined) throw failure;
}
