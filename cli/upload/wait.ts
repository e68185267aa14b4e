import type { DatasetVersion } from '../../schemas/index.ts';
import type { ComptoirClient } from '../../sdk/client.ts';
import { sleep } from '../command.ts';

const FINAL = new Set<DatasetVersion['status']>(['published', 'rejected', 'purged']);

/** Polls the version until ingest has published or rejected it (or it was purged meanwhile). */
export async function waitForVersion(client: ComptoirClient, datasetId: string, n: number, onStatus?: (status: string) => void): Promise<DatasetVersion> {
  let delay = 300;
  let last: string | undefined;
  for (;;) {
    const version = await client.call('getVersion', { params: { id: datasetId, n } });
    if (version.status !== last) {
      last = version.status;
      onStatus?.(version.status);
    }
    if (FINAL.has(version.status)) return version;
    await sleep(delay);
    delay = Math.min(3000, Math.round(delay * 1.5));
  }
}
