import type { ComptoirClient } from './client.ts';

/** Part URLs the API hands out per request. */
const URL_PAGE = 100;
const ATTEMPTS = 4;

/** A part that could not be sent: after its last attempt, or at once when the failure cannot be retried. */
export class PartFailedError extends Error {
  override readonly name = 'PartFailedError';
  constructor(
    readonly partNumber: number,
    options: { cause: unknown },
  ) {
    super(`part ${partNumber} could not be uploaded: ${(options.cause as Error)?.message ?? String(options.cause)}`, options);
  }
}

export interface PartsJob {
  readonly api: ComptoirClient;
  /** The dataset and version the multipart upload belongs to. */
  readonly version: { readonly id: string; readonly n: number };
  /** The part numbers still to send. */
  readonly parts: readonly number[];
  /** Part URLs already known (the first page that came with the version). */
  readonly knownUrls?: Iterable<readonly [number, string]>;
  readonly concurrency: number;
  /** Sends one part to a presigned URL and answers its ETag; undoes its own progress when it fails. */
  put(partNumber: number, url: string): Promise<string>;
  /** Whether a failed PUT may succeed with a fresh URL after a pause. */
  retryable(error: unknown): boolean;
  /** Called once per part sent, before it counts as done (the CLI writes the ETag to disk here). */
  sent(partNumber: number, etag: string): Promise<void> | void;
}

/**
 * Sends the parts of a multipart upload, a few at a time: part URLs are asked for 100 at a time, a failed
 * part is retried with a fresh URL and a growing pause. After a failure no new part starts; the ones in
 * flight finish (and are reported), then a {@link PartFailedError} names the part that failed.
 */
export async function sendParts(job: PartsJob): Promise<void> {
  const urls = new Map(job.knownUrls ?? []);
  const fetchUrls = async (partNumbers: number[]) => {
    const answer = await job.api.call('partUrls', { params: job.version, body: { partNumbers } });
    for (const p of answer.parts) urls.set(p.partNumber, p.url);
  };
  const sendOne = async (partNumber: number) => {
    for (let attempt = 1; ; attempt++) {
      try {
        const etag = await job.put(partNumber, urls.get(partNumber)!);
        await job.sent(partNumber, etag);
        return;
      } catch (error) {
        if (!job.retryable(error) || attempt >= ATTEMPTS) throw new PartFailedError(partNumber, { cause: error });
        await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
        // An expired or refused signature needs a new URL; after a failure, take one anyway.
        await fetchUrls([partNumber]);
      }
    }
  };
  for (let i = 0; i < job.parts.length; i += URL_PAGE) {
    const batch = job.parts.slice(i, i + URL_PAGE);
    const unknown = batch.filter((n) => !urls.has(n));
    if (unknown.length) await fetchUrls(unknown);
    await pool(batch, job.concurrency, sendOne);
  }
}

/** Runs `work` over `items`, at most `concurrency` at once; after a failure no new item starts. */
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
