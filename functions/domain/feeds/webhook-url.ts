import ipaddr from 'ipaddr.js';
import type { HostResolver } from '../../ports/feeds.ts';
import { DomainError } from '../errors.ts';

/** Where webhooks may point: https to public addresses; http to loopback only on the local runtime. */
export interface WebhookUrlPolicy {
  readonly allowLoopbackHttp: boolean;
}

/** A webhook URL refused at creation (400): wrong scheme, credentials, or a non-public address. */
export class UnsafeWebhookUrlError extends DomainError {
  readonly kind = 'invalid';
  readonly code = 'unsafe_webhook_url';
}

const isLoopbackHost = (host: string) => host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);

/** Why an address must not receive webhooks (private, link-local, metadata…), or undefined when it is public. */
export function forbiddenAddress(address: string, allowLoopback: boolean): string | undefined {
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  // IPv4-mapped IPv6 addresses are judged as the IPv4 address they carry.
  const range = ipaddr.process(address).range();
  if (range === 'unicast') return undefined;
  if (range === 'loopback' && allowLoopback) return undefined;
  return `${address} is a ${range} address`;
}

/**
 * Checks a webhook URL and every address its host resolves to, so neither a literal nor a DNS name
 * can point deliveries at the VPC, the instance metadata service or the platform itself.
 */
export async function assertSafeWebhookUrl(raw: string, policy: WebhookUrlPolicy, resolver: HostResolver): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (error) {
    throw new UnsafeWebhookUrlError(`${raw} is not a URL`, { cause: error });
  }
  if (url.username || url.password) throw new UnsafeWebhookUrlError('webhook URLs must not carry credentials');
  const loopbackHttp = policy.allowLoopbackHttp && url.protocol === 'http:' && isLoopbackHost(url.hostname);
  if (url.protocol !== 'https:' && !loopbackHttp) {
    throw new UnsafeWebhookUrlError(policy.allowLoopbackHttp ? 'webhook URLs must be https (http only to 127.0.0.1 or localhost here)' : 'webhook URLs must be https');
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = ipaddr.isValid(host) ? [host] : await resolver.resolve(host);
  } catch (error) {
    throw new UnsafeWebhookUrlError(`${host} does not resolve`, { cause: error });
  }
  if (addresses.length === 0) throw new UnsafeWebhookUrlError(`${host} does not resolve`);
  for (const a of addresses) {
    const why = forbiddenAddress(a, loopbackHttp);
    if (why) throw new UnsafeWebhookUrlError(`webhooks cannot target ${host}: ${why}`);
  }
  return url;
}
