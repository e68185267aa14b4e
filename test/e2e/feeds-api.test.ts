import { execFileSync, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../functions/adapters/dynamo/client.ts';
import { verifyWebhook } from '../../functions/domain/feeds/webhook-signature.ts';
import { OpenApiContract } from '../support/openapi-contract.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { WebhookReceiver, type ReceivedWebhook } from '../support/webhook-receiver.ts';

const DAY = 24 * 3600 * 1000;
const HOUR = 3600 * 1000;
const CSV = 'line;driver_name;passengers\r\nA;Jeanne Martin;120\r\nB;Paul Durand;80\r\n';
const PYTHON = spawnSync('python3', ['--version']).status === 0;
/** A Standard Webhooks verifier in Python's standard library: what a receiver without the pip package writes. */
const PY_VERIFY = `
import base64, hashlib, hmac, json, sys, time
m = json.load(sys.stdin); h = m["headers"]
key = base64.b64decode(m["secret"].removeprefix("whsec_"), validate=True)
signed = f'{h["webhook-id"]}.{h["webhook-timestamp"]}.'.encode() + m["body"].encode()
expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
fresh = abs(time.time() - int(h["webhook-timestamp"])) <= 300
print(json.dumps(fresh and any(hmac.compare_digest(s[3:], expected) for s in h["webhook-signature"].split(" ") if s.startswith("v1,"))))
`;
import { dynamoEndpoint } from '../support/emulators.ts';
/** What the `standardwebhooks` package makes of a delivery received by the test receiver: the payload, or its error. */
const verified = (secret: string, hook: ReceivedWebhook, body = hook.body) => {
  try {
    return new Webhook(secret).verify(body, hook.headers as Record<string, string>);
  } catch (error) {
    return (error as Error).message;
  }
};

describe('feeds: signed webhooks with retries, dead letters and pull feeds on the local runtime', () => {
  let t: TestRuntime;
  const receiver = new WebhookReceiver();
  let mobility: string;
  let energy: string;
  let mobilityLicence: string;
  let energyLicence: string;

  const dataset = async (title: string, theme: string) =>
    (await t.call('POST', '/v1/datasets', {
      key: t.keys.dsp.key,
      body: { title, description: 'Fréquentation', theme, classification: 'shared', format: 'csv', schema: { fields: [{ name: 'line', type: 'string' }, { name: 'driver_name', type: 'string' }, { name: 'passengers', type: 'integer' }] } },
    })).body.id as string;
  /** Uploads and completes a version, without waiting for the platform to publish it. */
  const upload = async (datasetId: string, csv = CSV) => {
    const started = await t.call('POST', `/v1/datasets/${datasetId}/versions`, { key: t.keys.dsp.key, body: { bytes: Buffer.byteLength(csv) } });
    await fetch(started.body.upload.url, { method: 'PUT', body: csv });
    await t.call('POST', `/v1/datasets/${datasetId}/versions/${started.body.version.version}/complete`, { key: t.keys.dsp.key, body: {} });
    return started.body.version.version as number;
  };
  const licence = async (datasetId: string, clauses: unknown[]) => {
    const offer = await t.call('POST', '/v1/offers', { key: t.keys.dsp.key, body: { datasetId, template: 'territorial-restricted', clauses: [{ kind: 'purpose', params: { allowed: ['planning'] } }, ...clauses], audience: ['private'] } });
    expect(offer.status, JSON.stringify(offer.body)).toBe(201);
    const requested = await t.call('POST', '/v1/licences', { key: t.keys.private.key, body: { offerId: offer.body.id, purpose: 'planning' } });
    const signed = await t.call('POST', `/v1/licences/${requested.body.id}/sign`, { key: t.keys.private.key });
    expect(signed.body.state, JSON.stringify(signed.body)).toBe('active');
    return signed.body.id as string;
  };
  const subscribe = async (licenceId: string, path: string) => {
    const created = await t.call('POST', '/v1/subscriptions', { key: t.keys.private.key, body: { licenceId, webhook: { url: `${receiver.url}${path}` } } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.subscription).toMatchObject({ licenceId, status: 'active', webhook: { url: `${receiver.url}${path}` } });
    expect(created.body.subscription.secret).toBeUndefined();
    expect(created.body.subscription.legacySignature).toBe(false);
    return { id: created.body.subscription.id as string, secret: created.body.secret as string };
  };
  const deliveries = async (id: string) => (await t.call('GET', `/v1/subscriptions/${id}/deliveries`, { key: t.keys.private.key })).body.items;
  let firstHook: { secret: string; hook: ReceivedWebhook } | undefined;

  beforeAll(async () => {
    await receiver.start();
    // Every event twice, as EventBridge may: each subscription must still get one delivery per publication.
    t = await startTestRuntime({ duplicateBusDeliveries: true, webhookRetryEveryMs: 3600_000 });
    await t.call('PUT', '/v1/policy', {
      key: t.keys.officer.key,
      body: { rules: [{ id: 'energy-share-back', when: { theme: 'energy', licenseeKinds: ['private'] }, require: [{ kind: 'share-back', params: { theme: 'energy', every: 'P1M', graceDays: 5 } }] }] },
    });
    mobility = await dataset('Fréquentation des lignes', 'mobility');
    energy = await dataset('Consommation des bâtiments', 'energy');
    await upload(mobility);
    await upload(energy);
    await t.runtime.settle();
    mobilityLicence = await licence(mobility, [{ kind: 'redact-fields', params: { fields: ['driver_name'] } }]);
    energyLicence = await licence(energy, []);
  });
  afterAll(async () => {
    await t.stop();
    await receiver.stop();
  });

  it('delivers a publication (its latency is measured by the bench, not here), signed as Standard Webhooks, with a link to the enforced variant', async () => {
    const sub = await subscribe(mobilityLicence, '/ok');
    expect(sub.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const version = await upload(mobility);
    const [hook] = await receiver.waitFor('/ok', 1);
    await t.runtime.settle();

    expect(receiver.on('/ok')).toHaveLength(1);
    firstHook = { secret: sub.secret, hook: hook! };
    const payload = JSON.parse(hook!.body);
    // The real delivery, as any receiver verifies it with the standardwebhooks package.
    expect(verified(sub.secret, hook!)).toEqual(payload);
    expect(hook!.headers).toMatchObject({ 'webhook-id': `${sub.id}_${payload.id}`, 'webhook-timestamp': expect.stringMatching(/^\d+$/), 'webhook-signature': expect.stringMatching(/^v1,[A-Za-z0-9+/]{43}=$/) });
    expect(hook!.headers['comptoir-signature']).toBeUndefined();
    // The delivery is what the document's `webhooks` entry promises receivers.
    expect(new OpenApiContract((await t.call('GET', '/openapi.json')).body).checkWebhook('dataset.version.published', hook!.headers, hook!.body)).toEqual([]);
    expect(payload).toMatchObject({ id: hook!.headers['comptoir-event-id'], type: 'dataset.version.published', datasetId: mobility, version, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), access: { url: expect.any(String), transforms: [{ kind: 'redact-fields' }] } });
    expect(Date.parse(payload.access.expiresAt) - Date.now()).toBeLessThanOrEqual(900_000);
    const lines = (await (await fetch(payload.access.url)).text()).split(/\r?\n/).filter(Boolean);
    expect(lines).toEqual(['line;driver_name;passengers', 'A;;120', 'B;;80']);

    const tampered = hook!.body.replace('"version":', '"version":1');
    expect(verified(sub.secret, hook!, tampered)).toBe('No matching signature found');
    expect(verified('whsec_b3RoZXI=', hook!)).toBe('No matching signature found');
    // comptoir/webhooks agrees, and refuses the same delivery 5 minutes later (a replay).
    expect(verifyWebhook(sub.secret, hook!.body, hook!.headers)).toEqual({ ok: true, id: hook!.headers['webhook-id'], timestamp: Number(hook!.headers['webhook-timestamp']) });
    expect(verifyWebhook(sub.secret, hook!.body, hook!.headers, { nowSeconds: Number(hook!.headers['webhook-timestamp']) + 301 })).toEqual({ ok: false, reason: 'expired' });
    expect(await deliveries(sub.id)).toEqual([expect.objectContaining({ status: 'delivered', version, attempts: [expect.objectContaining({ statusCode: 200 })] })]);
    await t.call('DELETE', `/v1/subscriptions/${sub.id}`, { key: t.keys.private.key });
  });

  it.skipIf(!PYTHON)('the delivery verifies with a Standard Webhooks verifier in pure-stdlib Python', () => {
    const { secret, hook } = firstHook!;
    const python = (body: string) => JSON.parse(execFileSync('python3', ['-c', PY_VERIFY], { input: JSON.stringify({ secret, headers: hook.headers, body }) }).toString());
    expect(python(hook.body)).toBe(true);
    expect(python(hook.body.replace('"version":', '"version":1'))).toBe(false);
  });

  it('retries 5xx with backoff on the retry clock: three 500s then one 200, four attempts, one event id', async () => {
    receiver.script('/flaky', [500, 500, 500]);
    const sub = await subscribe(mobilityLicence, '/flaky');
    await upload(mobility);
    await receiver.waitFor('/flaky', 1);
    await t.runtime.settle();
    let [delivery] = await deliveries(sub.id);
    expect(delivery).toMatchObject({ status: 'pending', attempts: [{ statusCode: 500 }] });
    const first = Date.parse(delivery.nextAttemptAt) - Date.parse(delivery.attempts[0].at);
    expect(first).toBeGreaterThanOrEqual(15_000);
    expect(first).toBeLessThanOrEqual(30_000);

    // Not due yet: nothing is sent.
    await t.runtime.retryDeliveries(new Date(Date.parse(delivery.attempts[0].at) + 10_000));
    expect(receiver.on('/flaky')).toHaveLength(1);
    // Two retry runs at once, as overlapping schedule invocations would: each attempt is still sent once.
    for (let i = 1; i <= 3; i++) {
      const at = new Date(Date.now() + i * HOUR);
      await Promise.all([t.runtime.retryDeliveries(at), t.runtime.retryDeliveries(at)]);
    }

    const hooks = receiver.on('/flaky');
    expect(hooks.map((h) => h.answered)).toEqual([500, 500, 500, 200]);
    expect(new Set(hooks.map((h) => h.headers['comptoir-event-id'])).size).toBe(1);
    // One delivery, one webhook-id on every retry (receivers de-duplicate on it), each attempt signed afresh.
    expect(hooks.map((h) => h.headers['webhook-id'])).toEqual(Array(4).fill(`${sub.id}_${hooks[0]!.headers['comptoir-event-id']}`));
    expect(hooks.map((h) => verified(sub.secret, h))).toEqual(hooks.map((h) => JSON.parse(h.body)));
    expect(hooks.map((h) => h.headers['comptoir-delivery-attempt'])).toEqual(['1', '2', '3', '4']);
    [delivery] = await deliveries(sub.id);
    expect(delivery.status).toBe('delivered');
    expect(delivery.attempts.map((a: { statusCode: number }) => a.statusCode)).toEqual([500, 500, 500, 200]);
    expect(delivery.attempts.every((a: { latencyMs: number }) => Number.isInteger(a.latencyMs) && a.latencyMs < 10_000)).toBe(true);
    // The link of the fourth attempt is signed then, valid 15 minutes from it.
    const last = JSON.parse(hooks[3]!.body);
    expect((await fetch(last.access.url)).status).toBe(200);
    await t.call('DELETE', `/v1/subscriptions/${sub.id}`, { key: t.keys.private.key });
  });

  it('dead-letters after 8 attempts and marks the subscription failing; 410 Gone disables it', async () => {
    receiver.script('/down', Array(8).fill(503));
    receiver.script('/gone', [410]);
    const down = await subscribe(mobilityLicence, '/down');
    const gone = await subscribe(mobilityLicence, '/gone');
    await upload(mobility);
    await receiver.waitFor('/down', 1);
    await receiver.waitFor('/gone', 1);
    await t.runtime.settle();
    for (let i = 1; i <= 10; i++) await t.runtime.retryDeliveries(new Date(Date.now() + i * 2 * HOUR));

    expect(receiver.on('/down')).toHaveLength(8);
    expect(receiver.on('/gone')).toHaveLength(1);
    // Two deliveries of one event: two webhook-ids.
    expect(receiver.on('/down')[0]!.headers['comptoir-event-id']).toBe(receiver.on('/gone')[0]!.headers['comptoir-event-id']);
    expect(receiver.on('/down')[0]!.headers['webhook-id']).not.toBe(receiver.on('/gone')[0]!.headers['webhook-id']);
    expect((await deliveries(down.id))[0]).toMatchObject({ status: 'dead' });
    expect((await deliveries(gone.id))[0]).toMatchObject({ status: 'gone' });
    const mine = (await t.call('GET', '/v1/subscriptions', { key: t.keys.private.key })).body.items;
    expect(mine.find((s: { id: string }) => s.id === down.id)).toMatchObject({ status: 'failing', statusReason: expect.stringContaining('8 attempt') });
    expect(mine.find((s: { id: string }) => s.id === gone.id)).toMatchObject({ status: 'disabled' });
    expect(JSON.stringify(mine)).not.toContain('whsec_');
    const { feedStore } = await import('../../functions/wiring/feeds.ts');
    expect(await feedStore.deadLetters(10)).toEqual(expect.arrayContaining([expect.objectContaining({ subscriptionId: down.id })]));

    // A disabled subscription gets nothing more.
    await upload(mobility);
    await receiver.waitFor('/down', 9);
    await t.runtime.settle();
    expect(receiver.on('/gone')).toHaveLength(1);
    await t.call('DELETE', `/v1/subscriptions/${down.id}`, { key: t.keys.private.key });
    await t.call('DELETE', `/v1/subscriptions/${gone.id}`, { key: t.keys.private.key });
    await t.runtime.settle();
    const actions = async (id: string) => (await t.call('GET', `/v1/audit?subject=${id}`, { key: t.keys.private.key })).body.items.map((e: { body: { action: string } }) => e.body.action);
    // The next publication reached /down (its script ran out): a success clears `failing`.
    expect(await actions(down.id)).toEqual(['subscription.created', 'subscription.failing', 'subscription.recovered', 'subscription.deleted']);
    expect(await actions(gone.id)).toEqual(['subscription.created', 'subscription.disabled', 'subscription.deleted']);
  });

  it('sends access: null with the reasons when the licence is suspended', async () => {
    await subscribe(energyLicence, '/energy');
    await t.runtime.runSchedule(new Date(Date.now() + 40 * DAY));
    await t.runtime.settle();
    expect((await t.call('GET', `/v1/licences/${energyLicence}`, { key: t.keys.private.key })).body.state).toBe('suspended');
    await upload(energy);
    const [hook] = await receiver.waitFor('/energy', 1);
    expect(JSON.parse(hook!.body)).toMatchObject({ datasetId: energy, access: null, reasons: [{ clause: 'validity', message: expect.stringContaining('suspended') }] });
    expect(new OpenApiContract((await t.call('GET', '/openapi.json')).body).checkWebhook('dataset.version.published', hook!.headers, hook!.body)).toEqual([]);
  });

  it('refuses webhook URLs to private, link-local or metadata addresses, and plain http beyond loopback', async () => {
    for (const url of ['http://169.254.169.254/latest/meta-data', 'https://169.254.169.254/', 'https://10.0.0.1/hook', 'https://[::ffff:10.0.0.1]/hook', 'https://[fd00:ec2::254]/', 'http://example.org/hook', 'https://user:pw@example.org/']) {
      const refused = await t.call('POST', '/v1/subscriptions', { key: t.keys.private.key, body: { licenceId: mobilityLicence, webhook: { url } } });
      expect(refused.status, url).toBe(400);
      expect(refused.body.error.code, url).toMatch(/unsafe_webhook_url|invalid_request/);
    }
    const other = await t.call('POST', '/v1/subscriptions', { key: t.keys.dsp.key, body: { licenceId: mobilityLicence, webhook: { url: `${receiver.url}/x` } } });
    expect(other.status).toBe(403);
  });

  it('keeps the former Comptoir-Signature for a secret issued before Standard Webhooks, until it is rotated', async () => {
    const sub = await subscribe(mobilityLicence, '/legacy');
    // A secret as stored before Standard Webhooks: whsec_ and the unpadded base64url of 32 bytes.
    const key = Buffer.alloc(32, 0xfb);
    const legacy = `whsec_${key.toString('base64url')}`;
    const db = createDocumentClient({ endpoint: dynamoEndpoint() });
    await db.send(new UpdateCommand({ TableName: t.tableName, Key: { pk: `SUB#${sub.id}`, sk: 'SUB' }, UpdateExpression: 'SET secret = :s', ExpressionAttributeValues: { ':s': legacy } }));
    const view = async () => (await t.call('GET', '/v1/subscriptions', { key: t.keys.private.key })).body.items.find((s: { id: string }) => s.id === sub.id);
    expect(await view()).toMatchObject({ legacySignature: true });

    await upload(mobility);
    const [hook] = await receiver.waitFor('/legacy', 1);
    // The receiver's code of yesterday: HMAC keyed with the secret's text, hex, over "t.body".
    const [t0, v1] = String(hook!.headers['comptoir-signature']).split(',');
    const stamp = t0!.slice(2);
    expect(v1).toBe(`v1=${createHmac('sha256', legacy).update(`${stamp}.${hook!.body}`).digest('hex')}`);
    expect(stamp).toBe(hook!.headers['webhook-timestamp']);
    // The Standard Webhooks headers sign with the same 32 key bytes: the secret in standard base64 verifies them.
    expect(verified(`whsec_${key.toString('base64')}`, hook!)).toEqual(JSON.parse(hook!.body));
    expect(verifyWebhook(legacy, hook!.body, hook!.headers)).toMatchObject({ ok: true });

    const rotated = await t.call('POST', `/v1/subscriptions/${sub.id}/rotate-secret`, { key: t.keys.private.key });
    expect(rotated.body.subscription).toMatchObject({ legacySignature: false });
    expect(await view()).toMatchObject({ legacySignature: false });
    await upload(mobility);
    const [, next] = await receiver.waitFor('/legacy', 2);
    expect(next!.headers['comptoir-signature']).toBeUndefined();
    expect(verified(rotated.body.secret, next!)).toEqual(JSON.parse(next!.body));
    await t.call('DELETE', `/v1/subscriptions/${sub.id}`, { key: t.keys.private.key });
  });

  it('rotates the secret: the next deliveries verify with the new one only', async () => {
    const sub = await subscribe(mobilityLicence, '/rotated');
    const rotated = await t.call('POST', `/v1/subscriptions/${sub.id}/rotate-secret`, { key: t.keys.private.key });
    expect(rotated.body.secret).not.toBe(sub.secret);
    expect(rotated.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect((await t.call('POST', `/v1/subscriptions/${sub.id}/rotate-secret`, { key: t.keys.dsp.key })).status).toBe(404);
    await upload(mobility);
    const [hook] = await receiver.waitFor('/rotated', 1);
    expect(verified(rotated.body.secret, hook!)).toEqual(JSON.parse(hook!.body));
    expect(verified(sub.secret, hook!)).toBe('No matching signature found');
    expect((await t.call('DELETE', `/v1/subscriptions/${sub.id}`, { key: t.keys.private.key })).status).toBe(204);
    expect((await t.call('DELETE', `/v1/subscriptions/${sub.id}`, { key: t.keys.private.key })).status).toBe(404);
  });

  it('serves a JSON Feed 1.1 of the versions a licence covers', async () => {
    const feed = await t.call('GET', `/v1/feeds/${mobility}`, { key: t.keys.private.key });
    expect(feed.status).toBe(200);
    expect(feed.body.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.body.items.length).toBeGreaterThanOrEqual(4);
    expect(feed.body.items[0]).toMatchObject({ id: expect.stringContaining(mobility), date_published: expect.any(String), _comptoir: { datasetId: mobility, licenceIds: [mobilityLicence] } });
    expect((await t.call('GET', `/v1/feeds/${mobility}`, { key: t.keys.public.key })).status).toBe(403);
    expect((await t.call('GET', '/v1/feeds/nope', { key: t.keys.private.key })).status).toBe(404);
  });
});
