import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JSON_BODY_LIMITS } from '../../schemas/common.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/** A GET with headers fetch will not send (Host): the raw answer. */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A zone layer whose first feature's properties nest `depth` objects deep. */
function zoneNested(depth: number): string {
  const ring = [[2.35, 48.85], [2.36, 48.85], [2.36, 48.86], [2.35, 48.85]];
  const properties = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  return `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":${JSON.stringify([ring])}},"properties":${properties}}]}`;
}

// One runtime with the defaults a deployment gets: no plain-http webhooks to loopback.
describe('the edge: headers, public URL, body bounds, webhook targets', () => {
  let t: TestRuntime;
  let receiver: Server;
  let licenceId: string;

  beforeAll(async () => {
    t = await startTestRuntime({ allowLoopbackWebhooks: false });
    receiver = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    // Arrange: an active licence of the private partner, the one thing a subscription needs.
    const dataset = await t.call('POST', '/v1/datasets', {
      key: t.keys.dsp.key,
      body: { title: 'Comptages vélo', description: 'Passages', theme: 'mobility', classification: 'shared', format: 'csv', schema: { fields: [{ name: 'station', type: 'string' }] } },
    });
    const offer = await t.call('POST', '/v1/offers', { key: t.keys.dsp.key, body: { datasetId: dataset.body.id, template: 'territorial-restricted', clauses: [{ kind: 'purpose', params: { allowed: ['planning'] } }], audience: ['private'] } });
    const requested = await t.call('POST', '/v1/licences', { key: t.keys.private.key, body: { offerId: offer.body.id, purpose: 'planning' } });
    const signed = await t.call('POST', `/v1/licences/${requested.body.id}/sign`, { key: t.keys.private.key });
    expect(signed.body.state, JSON.stringify(signed.body)).toBe('active');
    licenceId = signed.body.id;
  });

  afterAll(async () => {
    receiver?.close();
    await t?.stop();
  });

  it('builds catalogue URLs from the configured public URL, whatever Host and X-Forwarded-* say', async () => {
    // Act
    const honest = await rawGet(`${t.runtime.url}/open/catalog.jsonld`, {});
    const forged = await rawGet(`${t.runtime.url}/open/catalog.jsonld`, { host: 'evil.example', 'x-forwarded-proto': 'http', 'x-forwarded-host': 'evil.example' });
    // Assert
    expect(forged.status).toBe(200);
    expect(forged.body).not.toContain('evil.example');
    expect(forged.body).toContain(`${t.runtime.url}/open/catalog.jsonld`);
    expect(forged.body).toBe(honest.body);
  });

  it('sends nosniff on every JSON answer, and no-store on every authenticated one, errors included', async () => {
    const answers = await Promise.all([
      t.call('GET', '/v1/me', { key: t.keys.private.key }),
      t.call('GET', '/v1/datasets/ds_missing', { key: t.keys.private.key }),
      t.call('GET', '/open/catalog.jsonld', { key: t.keys.private.key }),
      t.call('GET', '/open/catalog.jsonld'),
      t.call('GET', '/open/datasets'),
    ]);
    for (const answer of answers) expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    const [me, missing, catalogueWithKey, catalogue] = answers;
    expect([me!.status, missing!.status]).toEqual([200, 404]);
    for (const keyed of [me!, missing!, catalogueWithKey!]) expect(keyed.headers.get('cache-control')).toBe('no-store');
    // Anonymous open data stays cacheable.
    expect(catalogue!.headers.get('cache-control')).toBe('public, max-age=300');
  });

  it('answers 400 json_too_complex to a zone nested past the bound, before any schema, and stores nothing', async () => {
    // Act
    const deep = await t.call('PUT', '/v1/zones/deep', { key: t.keys.officer.key, rawBody: zoneNested(100_000) });
    const justOver = await t.call('PUT', '/v1/zones/deep', { key: t.keys.officer.key, rawBody: zoneNested(JSON_BODY_LIMITS.depth) });
    // Assert
    expect(deep.status, JSON.stringify(deep.body)).toBe(400);
    expect(deep.body.error.code).toBe('json_too_complex');
    expect(justOver.body.error?.code).toBe('json_too_complex');
    expect((await t.call('GET', '/v1/zones/deep', { key: t.keys.officer.key })).status).toBe(404);
    // Within the bound the same layer is an ordinary zone.
    const shallow = await t.call('PUT', '/v1/zones/shallow', { key: t.keys.officer.key, rawBody: zoneNested(3) });
    expect(shallow.status, JSON.stringify(shallow.body)).toBe(200);
  });

  it('answers 400 json_too_complex to an array longer than the bound', async () => {
    const parts = Array.from({ length: JSON_BODY_LIMITS.arrayItems + 1 }, (_, i) => ({ partNumber: (i % 10_000) + 1, etag: 'e' }));
    const res = await t.call('POST', '/v1/datasets/ds_missing/versions/1/complete', { key: t.keys.dsp.key, body: { parts } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('json_too_complex');
  });

  it('refuses a webhook to loopback, over http or https, unless the runtime was told to allow it', async () => {
    const { port } = receiver.address() as AddressInfo;
    for (const url of [`http://127.0.0.1:${port}/hook`, `http://localhost:${port}/hook`, `https://127.0.0.1:${port}/hook`, `https://[::1]:${port}/hook`]) {
      const res = await t.call('POST', '/v1/subscriptions', { key: t.keys.private.key, body: { licenceId, webhook: { url } } });
      expect(res.status, url).toBe(400);
      expect(res.body.error.code).toBe('unsafe_webhook_url');
    }
    expect((await t.call('GET', '/v1/subscriptions', { key: t.keys.private.key })).body.items).toEqual([]);
  });
});
