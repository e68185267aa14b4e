import { lookup, type LookupAddress } from 'node:dns';
import { lookup as lookupAll } from 'node:dns/promises';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { HostResolver, WebhookResponse, WebhookTransport } from '../../ports/feeds.ts';

/** Why an address must not be connected to, or undefined when it may. */
export type AddressPolicy = (address: string) => string | undefined;

/**
 * POSTs webhooks over node:http(s), never following redirects, with a hard timeout; the connection's own
 * DNS answer is checked against the address policy, so a name rebound to a private address after the
 * URL check still cannot be reached.
 */
export class GuardedWebhookTransport implements WebhookTransport {
  private readonly http = new HttpAgent({ keepAlive: true });
  private readonly https = new HttpsAgent({ keepAlive: true });
  private readonly lookup: LookupFunction;

  constructor(forbidden: AddressPolicy) {
    this.lookup = (hostname, options, callback) => {
      lookup(hostname, { ...options, all: true }, (error, addresses) => {
        if (error) return callback(error, '', 0);
        const list = addresses as unknown as LookupAddress[];
        const why = list.map((a) => forbidden(a.address)).find(Boolean);
        if (why || list.length === 0) return callback(Object.assign(new Error(`refused to connect to ${hostname}: ${why ?? 'no address'}`), { code: 'EADDRFORBIDDEN' }), '', 0);
        if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
        callback(null, list[0]!.address, list[0]!.family);
      });
    };
  }

  post(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<WebhookResponse> {
    const started = performance.now();
    const target = new URL(url);
    const secure = target.protocol === 'https:';
    return new Promise((resolve) => {
      const req = (secure ? httpsRequest : httpRequest)(
        target,
        {
          method: 'POST',
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
          agent: secure ? this.https : this.http,
          lookup: this.lookup,
          signal: AbortSignal.timeout(timeoutMs),
        },
        (res) => {
          // Only the status matters; the body is drained so the connection is reused.
          res.resume();
          resolve({ statusCode: res.statusCode ?? 0, latencyMs: performance.now() - started });
        },
      );
      req.on('error', (error: Error & { code?: string }) => {
        const aborted = error.name === 'AbortError' || error.name === 'TimeoutError' || error.code === 'ABORT_ERR';
        resolve({ error: aborted ? `timed out after ${timeoutMs} ms` : error.code === 'EADDRFORBIDDEN' ? error.message : (error.code ?? error.message), latencyMs: performance.now() - started });
      });
      req.end(body);
    });
  }
}

/** Every address of a host name, as the operating system resolves it. */
export const systemResolver: HostResolver = {
  async resolve(host) {
    return (await lookupAll(host, { all: true, verbatim: true })).map((a) => a.address);
  },
};
