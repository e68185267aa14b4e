import { lookup } from 'node:dns/promises';
import type { HostResolver, WebhookResponse, WebhookTransport } from '../../ports/feeds.ts';

/** POSTs webhooks with `fetch`: no redirects (they could lead past the SSRF guard), a hard timeout, the body drained. */
export class FetchWebhookTransport implements WebhookTransport {
  async post(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<WebhookResponse> {
    const started = performance.now();
    try {
      const response = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
      // Only the status matters; the body is discarded so the connection is reused.
      await response.body?.cancel();
      return { statusCode: response.status, latencyMs: performance.now() - started };
    } catch (error) {
      const e = error as Error & { cause?: { code?: string } };
      const reason = e.name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : (e.cause?.code ?? e.message);
      return { error: reason, latencyMs: performance.now() - started };
    }
  }
}

/** Every address of a host name, as the operating system resolves it. */
export const systemResolver: HostResolver = {
  async resolve(host) {
    return (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  },
};
