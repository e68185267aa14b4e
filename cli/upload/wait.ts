import type { DatasetVersion } from '../../schemas/index.ts';
import type { ComptoirClient } from '../../sdk/client.ts';
import { waitForVersion as waitUntilFinal } from '../../sdk/flows.ts';
import { CliError, EXIT } from '../errors.ts';

const FINAL = new Set<DatasetVersion['status']>(['published', 'rejected', 'failed', 'purged']);

export interface WaitOptions {
  /** How long to wait for a final status before giving up. */
  readonly timeoutMs: number;
  readonly onStatus?: (status: string) => void;
  /** Stops the wait (SIGINT/SIGTERM). */
  readonly signal?: AbortSignal;
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

/** Polls the version until ingest has published or rejected it (or it failed or was purged meanwhile), at most `timeoutMs`. */
export async function waitForVersion(client: ComptoirClient, datasetId: string, n: number, options: WaitOptions): Promise<DatasetVersion> {
  const version = await waitUntilFinal(client, datasetId, n, options);
  if (!FINAL.has(version.status)) throw new WaitTimeoutError(datasetId, version, options.timeoutMs);
  return version;
}
