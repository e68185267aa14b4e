import { BlockList, isIP } from 'node:net';
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

type Subnet = readonly [network: string, prefix: number];
/** Special-purpose ranges (IANA registries); BlockList also matches IPv4-mapped IPv6 addresses against the IPv4 ones. */
const SPECIAL: Record<string, { v4?: Subnet[]; v6?: Subnet[] }> = {
  unspecified: { v4: [['0.0.0.0', 8]], v6: [['::', 128]] },
  loopback: { v4: [['127.0.0.0', 8]], v6: [['::1', 128]] },
  private: { v4: [['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16]] },
  carrierGradeNat: { v4: [['100.64.0.0', 10]] },
  linkLocal: { v4: [['169.254.0.0', 16]], v6: [['fe80::', 10]] },
  uniqueLocal: { v6: [['fc00::', 7]] },
  multicast: { v4: [['224.0.0.0', 4]], v6: [['ff00::', 8]] },
  reserved: {
    v4: [['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['240.0.0.0', 4]],
    // Translation and tunnelling prefixes can carry a private IPv4 address inside; documentation and ORCHID are never hosts.
    v6: [['64:ff9b::', 96], ['64:ff9b:1::', 48], ['100::', 64], ['2001::', 23], ['2001:db8::', 32], ['2002::', 16], ['fec0::', 10]],
  },
};
const RANGES = Object.entries(SPECIAL).map(([name, { v4 = [], v6 = [] }]) => {
  const list = new BlockList();
  for (const [net, prefix] of v4) list.addSubnet(net, prefix, 'ipv4');
  for (const [net, prefix] of v6) list.addSubnet(net, prefix, 'ipv6');
  return [name, list] as const;
});
const GLOBAL_UNICAST_V6 = new BlockList();
GLOBAL_UNICAST_V6.addSubnet('2000::', 3, 'ipv6');
const MAPPED_V4 = new BlockList();
MAPPED_V4.addSubnet('::ffff:0:0', 96, 'ipv6');

/** Why an address must not receive webhooks (private, link-local, metadata…), or undefined when it is public. */
export function forbiddenAddress(address: string, allowLoopback: boolean): string | undefined {
  const family = isIP(address);
  if (family === 0) return `${address} is not an IP address`;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const range = RANGES.find(([, list]) => list.check(address, type))?.[0];
  if (range === 'loopback' && allowLoopback) return undefined;
  if (range) return `${address} is a ${range} address`;
  // Outside 2000::/3 IPv6 is not globally routable unicast (IPv4-mapped ones were judged as IPv4 above).
  if (type === 'ipv6' && !GLOBAL_UNICAST_V6.check(address, 'ipv6') && !MAPPED_V4.check(address, 'ipv6')) return `${address} is a reserved address`;
  return undefined;
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
    addresses = isIP(host) ? [host] : await resolver.resolve(host);
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
