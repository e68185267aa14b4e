import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS, isRetryable, retryDelayMs } from '../../functions/domain/feeds/backoff.ts';
import { signWebhook, verifyWebhook } from '../../functions/domain/feeds/webhook-signature.ts';
import { UnsafeWebhookUrlError, assertSafeWebhookUrl, forbiddenAddress } from '../../functions/domain/feeds/webhook-url.ts';
import type { HostResolver } from '../../functions/ports/feeds.ts';

const SECRET = 'whsec_test';
const BODY = '{"id":"evt_1","type":"dataset.version.published"}';
const NOW = 1_800_000_000;

describe('webhook signatures', () => {
  const header = signWebhook(SECRET, BODY, NOW);

  it('signs t.body with HMAC-SHA-256 in the documented format', () => {
    // Known vector: printf '1800000000.%s' "$BODY" | openssl dgst -sha256 -hmac whsec_test
    expect(header).toBe('t=1800000000,v1=dd4e5f16f4153fe04f7899a96a9e06c8bb52e00f4a1fb0ccf0bd5d9faa75bfe2');
  });

  it.each([
    ['the signed body', BODY, header, NOW, { ok: true, timestamp: NOW }],
    ['a raw Buffer body', Buffer.from(BODY), header, NOW, { ok: true, timestamp: NOW }],
    ['4 min 59 s later', BODY, header, NOW + 299, { ok: true, timestamp: NOW }],
    ['5 min 01 s later (a replay)', BODY, header, NOW + 301, { ok: false, reason: 'expired' }],
    ['a signature from the future', BODY, header, NOW - 301, { ok: false, reason: 'expired' }],
    ['a tampered body', BODY.replace('evt_1', 'evt_2'), header, NOW, { ok: false, reason: 'mismatch' }],
    ['a tampered timestamp', BODY, header.replace(`t=${NOW}`, `t=${NOW + 1}`), NOW, { ok: false, reason: 'mismatch' }],
    ['a second v1 that matches (rotation overlap)', BODY, `t=${NOW},v1=${'0'.repeat(64)},${header.split(',')[1]}`, NOW, { ok: true, timestamp: NOW }],
    ['no header', BODY, undefined, NOW, { ok: false, reason: 'malformed' }],
    ['no v1', BODY, `t=${NOW}`, NOW, { ok: false, reason: 'malformed' }],
    ['a short v1', BODY, `t=${NOW},v1=abcd`, NOW, { ok: false, reason: 'malformed' }],
    ['no timestamp', BODY, header.split(',')[1], NOW, { ok: false, reason: 'malformed' }],
  ] as const)('verifies %s', (_name, body, h, now, expected) => {
    expect(verifyWebhook(SECRET, body, h, { nowSeconds: now })).toEqual(expected);
  });

  it('is importable from plain Node.js as comptoir/webhooks, without TypeScript', () => {
    const script = `import { verifyWebhook, signWebhook } from 'comptoir/webhooks'; const h = signWebhook('s', 'b', 100); process.stdout.write(JSON.stringify(verifyWebhook('s', 'b', h, { nowSeconds: 100 })));`;
    expect(JSON.parse(execFileSync('node', ['--input-type=module', '-e', script], { cwd: process.cwd(), env: { PATH: process.env.PATH } }).toString())).toEqual({ ok: true, timestamp: 100 });
  });
});

describe('webhook URL guard', () => {
  it.each([
    ['203.0.113.10', false, 'reserved'],
    ['93.184.216.34', false, undefined],
    ['2606:4700::1111', false, undefined],
    ['10.0.0.1', false, 'private'],
    ['172.16.5.4', false, 'private'],
    ['192.168.1.1', false, 'private'],
    ['169.254.169.254', false, 'linkLocal'],
    ['100.64.0.1', false, 'carrierGradeNat'],
    ['0.0.0.0', false, 'unspecified'],
    ['224.0.0.1', false, 'multicast'],
    ['127.0.0.1', false, 'loopback'],
    ['127.0.0.1', true, undefined],
    ['::1', false, 'loopback'],
    ['::1', true, undefined],
    ['::ffff:10.0.0.1', false, 'private'],
    ['::ffff:169.254.169.254', false, 'linkLocal'],
    ['fd00:ec2::254', false, 'uniqueLocal'],
    ['fe80::1', false, 'linkLocal'],
    ['0:0:0:0:0:ffff:a00:1', false, 'private'],
    ['::ffff:93.184.216.34', false, undefined],
    ['64:ff9b::a00:1', false, 'reserved'],
    ['2002:a00:1::', false, 'reserved'],
    ['2001:db8::1', false, 'reserved'],
    ['fec0::1', false, 'reserved'],
    ['::a00:1', false, 'reserved'],
    ['ff02::1', false, 'multicast'],
    ['255.255.255.255', false, 'reserved'],
    ['198.18.0.1', false, 'reserved'],
    ['not-an-ip', false, 'not an IP address'],
  ] as const)('%s (loopback allowed: %s) → %s', (address, loopback, why) => {
    const reason = forbiddenAddress(address, loopback);
    if (why === undefined) expect(reason).toBeUndefined();
    else expect(reason).toContain(why);
  });

  const dns = (table: Record<string, string[]>): HostResolver => ({
    resolve: async (host) => {
      if (!(host in table)) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
      return table[host]!;
    },
  });
  const resolver = dns({ 'hooks.example.org': ['93.184.216.34'], 'rebind.example.org': ['93.184.216.34', '10.1.2.3'], 'metadata.example.org': ['169.254.169.254'], localhost: ['127.0.0.1'] });
  const cloud = { allowLoopbackHttp: false };
  const local = { allowLoopbackHttp: true };

  it.each([
    ['https://hooks.example.org/comptoir', cloud],
    ['https://93.184.216.34:8443/x', cloud],
    ['http://127.0.0.1:4000/hook', local],
    ['http://localhost:4000/hook', local],
    ['http://[::1]:4000/hook', local],
  ] as const)('accepts %s', async (url, policy) => {
    await expect(assertSafeWebhookUrl(url, policy, resolver)).resolves.toBeInstanceOf(URL);
  });

  it.each([
    ['http://hooks.example.org/comptoir', cloud, 'must be https'],
    ['http://hooks.example.org/comptoir', local, 'http only to 127.0.0.1'],
    ['http://127.0.0.1:4000/hook', cloud, 'must be https'],
    ['https://127.0.0.1/hook', cloud, 'loopback'],
    ['https://localhost/hook', cloud, 'loopback'],
    ['https://rebind.example.org/', cloud, '10.1.2.3 is a private'],
    ['https://metadata.example.org/', cloud, 'linkLocal'],
    ['https://169.254.169.254/latest/meta-data/', cloud, 'linkLocal'],
    ['https://[fd00:ec2::254]/', cloud, 'uniqueLocal'],
    ['https://nowhere.example.org/', cloud, 'does not resolve'],
    ['https://user:secret@hooks.example.org/', cloud, 'credentials'],
    ['ftp://hooks.example.org/', cloud, 'must be https'],
    ['not a url', cloud, 'is not a URL'],
  ] as const)('refuses %s', async (url, policy, message) => {
    const refused = assertSafeWebhookUrl(url, policy, resolver);
    await expect(refused).rejects.toBeInstanceOf(UnsafeWebhookUrlError);
    await expect(refused).rejects.toThrow(message);
  });
});

describe('webhook retries', () => {
  it.each([
    [undefined, true],
    [500, true],
    [503, true],
    [429, true],
    [400, false],
    [404, false],
    [410, false],
  ] as const)('status %s is retryable: %s', (status, retryable) => {
    expect(isRetryable(status)).toBe(retryable);
  });

  it('backs off exponentially with jitter, ~1 h over 8 attempts at most', () => {
    const floor = Array.from({ length: MAX_ATTEMPTS - 1 }, (_, i) => retryDelayMs(i + 1, () => 0));
    const ceiling = Array.from({ length: MAX_ATTEMPTS - 1 }, (_, i) => retryDelayMs(i + 1, () => 1));
    expect(ceiling).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000]);
    expect(floor).toEqual(ceiling.map((c) => c / 2));
    const total = ceiling.reduce((a, b) => a + b, 0);
    expect(total / 60_000).toBeGreaterThan(45);
    expect(total / 60_000).toBeLessThan(70);
  });
});
