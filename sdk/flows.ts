import type { ComptoirClient, RequestOf, ResponseOf } from './client.ts';

type Version = ResponseOf<'getVersion'>;
type Decision = ResponseOf<'accessLicence'>;
type Verdict = ResponseOf<'verifyAudit'>;

const FINAL_STATUSES: ReadonlySet<string> = new Set(['published', 'rejected', 'failed', 'purged']);
/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const stop = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', stop);
      resolve();
    }, ms);
    signal?.addEventListener('abort', stop, { once: true });
  });

/**
 * Polls a version until ingest publishes or rejects it (or the platform ends it `failed`); past `timeoutMs` answers it as it stands (still
 * validating). Stops with the signal's reason when `signal` aborts.
 */
export async function waitForVersion(
  api: ComptoirClient,
  datasetId: string,
  n: number,
  options: { timeoutMs?: number; onStatus?: (status: Version['status']) => void; signal?: AbortSignal } = {},
): Promise<Version> {
  const deadline = Date.now() + (options.timeoutMs ?? 30 * 60_000);
  let delay = 300;
  let last: string | undefined;
  for (;;) {
    options.signal?.throwIfAborted();
    const version = await api.call('getVersion', { params: { id: datasetId, n } });
    if (version.status !== last) options.onStatus?.((last = version.status) as Version['status']);
    if (FINAL_STATUSES.has(version.status) || Date.now() > deadline) return version;
    await sleep(delay, options.signal);
    delay = Math.min(3000, Math.round(delay * 1.5));
  }
}

/**
 * Asks for access and, while the enforced variant is built (202), polls the prepared access at the pace the
 * platform asks for; past `timeoutMs` answers the last 202 so the caller can try again later with `accessId`.
 */
export async function accessWhenReady(
  api: ComptoirClient,
  licenceId: string,
  body: RequestOf<'accessLicence'>['body'],
  options: { timeoutMs?: number; onPreparing?: (decision: Decision) => void } = {},
): Promise<{ status: number; decision: Decision }> {
  const first = await api.exchange('accessLicence', { params: { id: licenceId }, body });
  return first.status === 202 && first.body.accessId ? pollAccess(api, first.body, options) : { status: first.status, decision: first.body };
}

/** Polls a prepared access (`GET /v1/access/{id}`) until it is ready or `timeoutMs` has passed. */
export async function pollAccess(
  api: ComptoirClient,
  preparing: Decision,
  options: { timeoutMs?: number; onPreparing?: (decision: Decision) => void } = {},
): Promise<{ status: number; decision: Decision }> {
  const deadline = Date.now() + (options.timeoutMs ?? 10 * 60_000);
  let current = { status: 202, body: preparing };
  while (current.status === 202 && current.body.accessId && Date.now() < deadline) {
    options.onPreparing?.(current.body);
    await sleep(Math.min(5, Math.max(0.5, 'retryAfter' in current.body ? current.body.retryAfter : 1)) * 1000);
    current = await api.exchange('getAccess', { params: { id: current.body.accessId } });
  }
  return { status: current.status, decision: current.body };
}

/** Recomputes the whole audit chain page by page; `events` counts every entry checked. */
export async function verifyChain(api: ComptoirClient): Promise<Verdict> {
  let events = 0;
  let cursor: string | undefined;
  let page: Verdict;
  do {
    page = await api.call('verifyAudit', { query: { limit: 10_000, ...(cursor ? { cursor } : {}) } });
    events += page.events;
    cursor = page.valid ? page.cursor : undefined;
  } while (cursor);
  const { cursor: _last, ...verdict } = page;
  return { ...verdict, events };
}
