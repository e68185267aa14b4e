import type { ComptoirClient, ResponseOf } from '../../sdk/client.ts';

type Version = ResponseOf<'getVersion'>;
const PARTS_IN_FLIGHT = 3;
const POLL_MS = 500;
const POLL_LIMIT_MS = 10 * 60_000;

/** Bytes sent so far out of the file's size. */
export type ProgressListener = (sent: number, total: number, parts: number) => void;

/** PUTs a blob to a presigned URL, reporting bytes as they leave; answers the ETag (the bucket's CORS exposes it). */
function put(url: string, body: Blob, headers: Record<string, string>, onBytes: (loaded: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    for (const [name, value] of Object.entries(headers)) if (name.toLowerCase() !== 'content-length' && name.toLowerCase() !== 'host') xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => onBytes(e.loaded);
    xhr.onload = () => (xhr.status >= 200 && xhr.status < 300 ? resolve(xhr.getResponseHeader('ETag') ?? '') : reject(new Error(`storage answered ${xhr.status}`)));
    xhr.onerror = () => reject(new Error('the storage could not be reached'));
    xhr.send(body);
  });
}

/**
 * Uploads `file` as a new version of `datasetId`: one presigned PUT, or the multipart parts the API plans
 * (several in flight), then declares it complete and waits until ingest publishes or rejects it.
 */
export async function uploadVersion(api: ComptoirClient, datasetId: string, file: File, onProgress: ProgressListener): Promise<Version> {
  const created = await api.call('createVersion', { params: { id: datasetId }, body: { bytes: file.size } });
  const n = created.version.version;
  const upload = created.upload;
  if ('method' in upload) {
    await put(upload.url, file, upload.headers, (loaded) => onProgress(loaded, file.size, 1));
    onProgress(file.size, file.size, 1);
    await api.call('completeUpload', { params: { id: datasetId, n }, body: {} });
  } else {
    const loaded = new Map<number, number>();
    const report = () => onProgress([...loaded.values()].reduce((a, b) => a + b, 0), file.size, upload.partCount);
    const urls = new Map(upload.parts.map((p) => [p.partNumber, p.url]));
    const etags: { partNumber: number; etag: string }[] = [];
    let next = 1;
    const urlOf = async (partNumber: number): Promise<string> => {
      if (!urls.has(partNumber)) {
        const wanted = Array.from({ length: Math.min(100, upload.partCount - partNumber + 1) }, (_, i) => partNumber + i);
        const more = await api.call('partUrls', { params: { id: datasetId, n }, body: { partNumbers: wanted } });
        for (const p of more.parts) urls.set(p.partNumber, p.url);
      }
      return urls.get(partNumber)!;
    };
    const worker = async () => {
      while (next <= upload.partCount) {
        const partNumber = next++;
        const start = (partNumber - 1) * upload.partSize;
        const blob = file.slice(start, Math.min(file.size, start + upload.partSize));
        const etag = await put(await urlOf(partNumber), blob, {}, (bytes) => {
          loaded.set(partNumber, bytes);
          report();
        });
        loaded.set(partNumber, blob.size);
        report();
        etags.push({ partNumber, etag });
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARTS_IN_FLIGHT, upload.partCount) }, worker));
    etags.sort((a, b) => a.partNumber - b.partNumber);
    await api.call('completeUpload', { params: { id: datasetId, n }, body: { parts: etags } });
  }
  return waitForIngest(api, datasetId, n);
}

/** Polls the version until ingest has published or rejected it. */
export async function waitForIngest(api: ComptoirClient, datasetId: string, n: number): Promise<Version> {
  const deadline = Date.now() + POLL_LIMIT_MS;
  for (;;) {
    const version = await api.call('getVersion', { params: { id: datasetId, n } });
    if (version.status !== 'uploading' && version.status !== 'validating') return version;
    if (Date.now() > deadline) return version;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
