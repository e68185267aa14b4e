import type { DatasetVersion } from '../../schemas/index.ts';
import type { ComptoirClient } from '../../sdk/client.ts';
import { sleep } from '../command.ts';
import { CliError, EXIT } from '../errors.ts';

const FINAL = new Set<DatasetVersion['status']>(['published', 'rejected', 'purged']);

export interface WaitOptions {
  /** How long to wait for a final status before giving up. */
  readonly timeoutMs: number;
  readonly onStatus?: (status: string) => void;
}

/** The platform did not finish with the version in time; the upload itself is complete. */
export class WaitTimeoutError extends CliError {
  constructor(datasetId: string, version: DatasetVersion, timeoutMs: number) {
    super(
      `version ${version.version} of ${datasetId} is still ${version.status} after ${describeDuration(timeoutMs)}; the upload itself is complete: follow it with comptoir versions status ${datasetId} ${version.version}`,
      'wait_timeout',
      EXIT.timeout,
      { version },
    );
  }
}

function describeDuration(ms: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  return ms % 60_000 === 0 ? plural(ms / 60_000, 'minute') : plural(Math.ceil(ms / 1000), 'second');
}

/** Polls the version until ingest has published or rejected it (or it was purged meanwhile), at most `timeoutMs`. */
export async function waitForVersion(client: ComptoirClient, datasetId: string, n: number, options: WaitOptions): Promise<DatasetVersion> {
  const deadline = Date.now() + options.timeoutMs;
  let delay = 300;
  let last: string | undefined;
  for (;;) {
    const version = await client.call('getVersion', { params: { id: datasetId, n } });
    if (version.status !== last) {
      last = version.status;
      options.onStatus?.(version.status);
    }
    if (FINAL.has(version.status)) return version;
    const left = deadline - Date.now();
    if (left <= 0) throw new WaitTimeoutError(datasetId, version, options.timeoutMs);
    // The last poll lands on the deadline, so a version finishing just in time is still seen.
    await sleep(Math.min(delay, left));
    delay = Math.min(3000, Math.round(delay * 1.5));
  }
}
