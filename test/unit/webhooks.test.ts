import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS, isRetryable, retryDelayMs } from '../../functions/domain/feeds/backoff.ts';
import { legacySignature } from '../../functions/domain/feeds/legacy-signature.ts';
import { isLegacySecret, secretOf, signWebhook, verifyWebhook, webhookKey } from '../../functions/domain/feeds/webhook-signature.ts';
import { UnsafeWebhookUrlError, assertSafeWebhookUrl, forbiddenAddress } from '../../functions/domain/feeds/webhook-url.ts';
import type { HostResolver } from '../../functions/ports/feeds.ts';

// The test vector of the Standard Webhooks libraries (and of Svix's documentation).
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const NOW = 1614265330;
const BODY = '{"test": 2432232314}';
const SIGNATURE = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';
const OTHER = secretOf(Buffer.alloc(32, 7));

describe('webhook signatures (Standard Webhooks)', () => {
  const headers = signWebhook(SECRET, { id: ID, timestamp: NOW, body: BODY });
  const hex = Buffer.from(SIGNATURE.slice(3), 'base64').toString('hex');

  it('signs "id.timestamp.body" with the base64-decoded secret, as in the specification\'s test vector', () => {
    expect(headers).toEqual({ 'webhook-id': ID, 'webhook-timestamp': String(NOW), 'webhook-signature': SIGNATURE });
  });

  it('produces what the standardwebhooks package verifies, and verifies what it signs', () => {
    const secret = secretOf(randomBytes(32));
    const body = JSON.stringify({ id: 'evt_1', type: 'dataset.version.published', title: 'Fréquentation' });
    const now = Math.floor(Date.now() / 1000);
    expect(new Webhook(secret).verify(body, signWebhook(secret, { id: 'sub_1_evt_1', timestamp: now, body }))).toEqual(JSON.parse(body));
    const theirs = new Webhook(secret).sign('sub_1_evt_1', new Date(now * 1000), body);
    expect(verifyWebhook(secret, body, { 'webhook-id': 'sub_1_evt_1', 'webhook-timestamp': String(now), 'webhook-signature': theirs })).toEqual({ ok: true, id: 'sub_1_evt_1', timestamp: now });
  });

  it.each([
    ['the signed body', BODY, headers, NOW, { ok: true, id: ID, timestamp: NOW }],
    ['a raw Buffer body', Buffer.from(BODY), headers, NOW, { ok: true, id: ID, timestamp: NOW }],
    ['Fetch Headers', BODY, new Headers(headers), NOW, { ok: true, id: ID, timestamp: NOW }],
    ['header names in any case', BODY, { 'Webhook-Id': ID, 'WEBHOOK-TIMESTAMP': String(NOW), 'webhook-Signature': SIGNATURE }, NOW, { ok: true, id: ID, timestamp: NOW }],
    ['4 min 59 s later', BODY, headers, NOW + 299, { ok: true, id: ID, timestamp: NOW }],
    ['5 min 01 s later (an old timestamp: a replay)', BODY, headers, NOW + 301, { ok: false, reason: 'expired' }],
    ['a timestamp 5 min 01 s ahead', BODY, headers, NOW - 301, { ok: false, reason: 'expired' }],
    ['a tampered body', BODY.replace('2432', '2433'), headers, NOW, { ok: false, reason: 'mismatch' }],
    ['a tampered timestamp', BODY, { ...headers, 'webhook-timestamp': String(NOW + 1) }, NOW, { ok: false, reason: 'mismatch' }],
    ['a tampered id', BODY, { ...headers, 'webhook-id': `${ID}x` }, NOW, { ok: false, reason: 'mismatch' }],
    ['several signatures, the last one matching', BODY, { ...headers, 'webhook-signature': `${signWebhook(OTHER, { id: ID, timestamp: NOW, body: BODY })['webhook-signature']} ${SIGNATURE}` }, NOW, { ok: true, id: ID, timestamp: NOW }],
    ['several signatures, none matching', BODY, { ...headers, 'webhook-signature': `${signWebhook(OTHER, { id: ID, timestamp: NOW, body: BODY })['webhook-signature']} v1,${'A'.repeat(43)}=` }, NOW, { ok: false, reason: 'mismatch' }],
    ['a signature of another scheme only', BODY, { ...headers, 'webhook-signature': SIGNATURE.replace('v1,', 'v1a,') }, NOW, { ok: false, reason: 'malformed' }],
    ['the right MAC under another version', BODY, { ...headers, 'webhook-signature': SIGNATURE.replace('v1,', 'v2,') }, NOW, { ok: false, reason: 'malformed' }],
    ['a hex signature', BODY, { ...headers, 'webhook-signature': `v1,${hex}` }, NOW, { ok: false, reason: 'malformed' }],
    ['a signature cut short', BODY, { ...headers, 'webhook-signature': SIGNATURE.slice(0, -2) }, NOW, { ok: false, reason: 'malformed' }],
    ['the former header only', BODY, { 'comptoir-signature': `t=${NOW},v1=${hex}` }, NOW, { ok: false, reason: 'malformed' }],
    ['no webhook-id', BODY, { ...headers, 'webhook-id': undefined }, NOW, { ok: false, reason: 'malformed' }],
    ['no webhook-timestamp', BODY, { ...headers, 'webhook-timestamp': undefined }, NOW, { ok: false, reason: 'malformed' }],
    ['a timestamp in milliseconds as a decimal', BODY, { ...headers, 'webhook-timestamp': `${NOW}.000` }, NOW, { ok: false, reason: 'malformed' }],
    ['no webhook-signature', BODY, { ...headers, 'webhook-signature': undefined }, NOW, { ok: false, reason: 'malformed' }],
  ] as const)('verifies %s', (_name, body, h, now, expected) => {
    expect(verifyWebhook(SECRET, body, h, { nowSeconds: now })).toEqual(expected);
  });

  it('refuses the signature under another secret, and signs with several secrets for either to verify', () => {
    expect(verifyWebhook(OTHER, BODY, headers, { nowSeconds: NOW })).toEqual({ ok: false, reason: 'mismatch' });
    const both = signWebhook([OTHER, SECRET], { id: ID, timestamp: NOW, body: BODY });
    expect(both['webhook-signature'].split(' ')).toEqual([expect.stringMatching(/^v1,/), SIGNATURE]);
    for (const secret of [SECRET, OTHER]) expect(verifyWebhook(secret, BODY, both, { nowSeconds: NOW })).toMatchObject({ ok: true });
  });

  it('fails loudly when given one header string, as the former API took', () => {
    expect(() => verifyWebhook(SECRET, BODY, `t=${NOW},v1=${hex}` as never)).toThrow(TypeError);
  });

  it('signs only an id without spaces and a whole number of seconds', () => {
    expect(() => signWebhook(SECRET, { id: 'a b', timestamp: NOW, body: BODY })).toThrow(TypeError);
    expect(() => signWebhook(SECRET, { id: '', timestamp: NOW, body: BODY })).toThrow(TypeError);
    expect(() => signWebhook(SECRET, { id: ID, timestamp: NOW * 1000 + 0.5, body: BODY })).toThrow(TypeError);
  });
});

describe('webhook secrets', () => {
  const key = Buffer.from('fbff' + '00'.repeat(30), 'hex');
  const legacy = `whsec_${key.toString('base64url')}`;

  it('issues whsec_ and the standard base64 of the key, which the standardwebhooks package decodes to the same bytes', () => {
    const secret = secretOf(key);
    expect(secret).toBe(`whsec_${key.toString('base64')}`);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from((new Webhook(secret) as unknown as { key: Uint8Array }).key)).toEqual(key);
    expect(isLegacySecret(secret)).toBe(false);
  });

  it('reads a secret issued before Standard Webhooks (base64url, unpadded) as the same key, and knows it as legacy', () => {
    expect(legacy).toBe(`whsec_-_8${'A'.repeat(40)}`);
    expect(webhookKey(legacy)).toEqual(key);
    expect(isLegacySecret(legacy)).toBe(true);
    // Even one without `-` or `_`: unpadded, a strict base64 decoder (Python's) refuses it.
    expect(isLegacySecret(`whsec_${Buffer.alloc(32, 1).toString('base64url')}`)).toBe(true);
    // Why they stay legacy: the standardwebhooks package cannot read them.
    expect(() => new Webhook(legacy)).toThrow();
  });

  it.each(['whsec_', 'whsec_a', 'whsec_not base64', 'whsec_abc=def=', 'whsec_ab+_', 'whsec_abc==', 'whsec_abcde=='])('refuses the secret %s', (secret) => {
    expect(() => webhookKey(secret)).toThrow(TypeError);
  });

  it('still signs the former Comptoir-Signature of legacy secrets as before', () => {
    // Known vector: printf '1800000000.%s' "$BODY" | openssl dgst -sha256 -hmac whsec_test
    expect(legacySignature('whsec_test', '{"id":"evt_1","type":"dataset.version.published"}', 1_800_000_000)).toBe('t=1800000000,v1=dd4e5f16f4153fe04f7899a96a9e06c8bb52e00f4a1fb0ccf0bd5d9faa75bfe2');
  });

  it('is importable from plain Node.js as comptoir/webhooks, without TypeScript', () => {
    const script = `import { verifyWebhook, signWebhook } from 'comptoir/webhooks'; const h = signWebhook('whsec_c2VjcmV0', { id: 'm', timestamp: 100, body: 'b' }); process.stdout.write(JSON.stringify(verifyWebhook('whsec_c2VjcmV0', 'b', h, { nowSeconds: 100 })));`;
    expect(JSON.parse(execFileSync('node', ['--input-type=module', '-e', script], { cwd: process.cwd(), env: { PATH: process.env.PATH } }).toString())).toEqual({ ok: true, id: 'm', timestamp: 100 });
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
