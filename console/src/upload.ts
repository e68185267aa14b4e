import type { ComptoirClient, ResponseOf } from '../../sdk/client.ts';
import { waitForVersion } from '../../sdk/flows.ts';
import { PartFailedError, sendParts } from '../../sdk/multipart.ts';
import { t } from './i18n/i18n.ts';

type Version = ResponseOf<'getVersion'>;
const PARTS_IN_FLIGHT = 3;

/** Bytes sent so far out of the file's size. */
export type ProgressListener = (sent: number, total: number, parts: number) => void;

class StorageError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/** PUTs a blob to a presigned URL, reporting bytes as they leave; answers the ETag (the bucket's CORS exposes it). */
function put(url: string, body: Blob, headers: Record<string, string>, onBytes: (loaded: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    for (const [name, value] of Object.entries(headers)) if (name.toLowerCase() !== 'content-length' && name.toLowerCase() !== 'host') xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => onBytes(e.loaded);
    xhr.onload = () =>
      xhr.status >= 200 && xhr.status < 300
        ? resolve(xhr.getResponseHeader('ETag') ?? '')
        : reject(new StorageError(t('upload.storageStatus', { status: xhr.status }), xhr.status >= 500 || xhr.status === 403));
    xhr.onerror = () => reject(new StorageError(t('upload.unreachable'), true));
    xhr.send(body);
  });
}

/**
 * Uploads `file` as a new version of `datasetId`: one presigned PUT, or the multipart parts the API plans
 * (sent by the shared multipart sender), then declares it complete and waits for ingest.
 */
export async function uploadVersion(api: ComptoirClient, datasetId: string, file: File, onProgress: ProgressListener): Promise<Version> {
  const created = await api.call('createVersion', { params: { id: datasetId }, body: { bytes: file.size } });
  const n = created.version.version;
  const upload = created.upload;
  if ('method' in upload) {
    await put(upload.url, file, upload.headers, (loaded) => onProgress(loaded, file.size, 1));
    onProgress(file.size, file.size, 1);
    await api.call('completeUpload', { params: { id: datasetId, n }, body: {} });
    return waitForVersion(api, datasetId, n, { timeoutMs: 10 * 60_000 });
  }
  const loaded = new Map<number, number>();
  const report = () => onProgress([...loaded.values()].reduce((a, b) => a + b, 0), file.size, upload.partCount);
  const etags: { partNumber: number; etag: string }[] = [];
  try {
    await sendParts({
      api,
      version: { id: datasetId, n },
      parts: Array.from({ length: upload.partCount }, (_, i) => i + 1),
      knownUrls: upload.parts.map((p) => [p.partNumber, p.url] as const),
      concurrency: PARTS_IN_FLIGHT,
      put: async (partNumber, url) => {
        const start = (partNumber - 1) * upload.partSize;
        const blob = file.slice(start, Math.min(file.size, start + upload.partSize));
        try {
          const etag = await put(url, blob, {}, (bytes) => {
            loaded.set(partNumber, bytes);
            report();
          });
          loaded.set(partNumber, blob.size);
          report();
          return etag;
        } catch (error) {
          // A retried part counts from zero again.
          loaded.set(partNumber, 0);
          throw error;
        }
      },
      retryable: (error) => error instanceof StorageError && error.retryable,
      sent: (partNumber, etag) => void etags.push({ partNumber, etag }),
    });
  } catch (error) {
    throw error instanceof PartFailedError ? (error.cause as Error) : error;
  }
  etags.sort((a, b) => a.partNumber - b.partNumber);
  await api.call('completeUpload', { params: { id: datasetId, n }, body: { parts: etags } });
  return waitForVersion(api, datasetId, n, { timeoutMs: 10 * 60_000 });
}
