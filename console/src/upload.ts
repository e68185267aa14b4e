import type { ComptoirClient, ResponseOf } from '../../sdk/client.ts';
import { waitForVersion } from '../../sdk/flows.ts';
import { t } from './i18n/i18n.ts';

type Version = ResponseOf<'getVersion'>;
const PARTS_IN_FLIGHT = 3;
const PART_ATTEMPTS = 4;
const URL_BATCH = 100;

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
 * (several in flight, each retried with a fresh URL), then declares it complete and waits for ingest.
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
  const urls = new Map(upload.parts.map((p) => [p.partNumber, p.url]));
  // One request per batch of part URLs, however many workers need it at once.
  const batches = new Map<number, Promise<void>>();
  const fetchBatch = (partNumber: number, fresh: boolean) => {
    const first = fresh ? partNumber : Math.floor((partNumber - 1) / URL_BATCH) * URL_BATCH + 1;
    const key = fresh ? -partNumber : first;
    if (!batches.has(key) || fresh) {
      const wanted = Array.from({ length: fresh ? 1 : Math.min(URL_BATCH, upload.partCount - first + 1) }, (_, i) => first + i);
      batches.set(key, api.call('partUrls', { params: { id: datasetId, n }, body: { partNumbers: wanted } }).then((more) => void more.parts.forEach((p) => urls.set(p.partNumber, p.url))));
    }
    return batches.get(key)!;
  };
  const sendPart = async (partNumber: number): Promise<string> => {
    const start = (partNumber - 1) * upload.partSize;
    const blob = file.slice(start, Math.min(file.size, start + upload.partSize));
    for (let attempt = 1; ; attempt++) {
      if (!urls.has(partNumber) || attempt > 1) await fetchBatch(partNumber, attempt > 1);
      try {
        const etag = await put(urls.get(partNumber)!, blob, {}, (bytes) => {
          loaded.set(partNumber, bytes);
          report();
        });
        loaded.set(partNumber, blob.size);
        report();
        return etag;
      } catch (error) {
        loaded.set(partNumber, 0);
        if (!(error instanceof StorageError && error.retryable) || attempt >= PART_ATTEMPTS) throw error;
        await new Promise((r) => setTimeout(r, 500 * 2 ** attempt));
      }
    }
  };
  const etags: { partNumber: number; etag: string }[] = [];
  let next = 1;
  const worker = async () => {
    while (next <= upload.partCount) {
      const partNumber = next++;
      etags.push({ partNumber, etag: await sendPart(partNumber) });
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARTS_IN_FLIGHT, upload.partCount) }, worker));
  etags.sort((a, b) => a.partNumber - b.partNumber);
  await api.call('completeUpload', { params: { id: datasetId, n }, body: { parts: etags } });
  return waitForVersion(api, datasetId, n, { timeoutMs: 10 * 60_000 });
}
