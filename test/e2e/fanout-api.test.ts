import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

const CSV = 'line;driver_name;passengers\r\nA;Jeanne Martin;120\r\nB;Paul Durand;80\r\n';
const PER_LICENCE = 4;
const KINDS = ['redacted', 'plain', 'revoked'] as const;
type Kind = (typeof KINDS)[number];
const paths = (kind: Kind) => Array.from({ length: PER_LICENCE }, (_, i) => `/${kind}${i}`);

describe('webhook fan-out: one publication to many subscribers, each under its own licence', () => {
  let t: TestRuntime;
  const receiver = new WebhookReceiver();
  let datasetId: string;
  const licences = {} as Record<Kind, string>;

  const upload = async () => {
    const started = await t.call('POST', `/v1/datasets/${datasetId}/versions`, { key: t.keys.dsp.key, body: { bytes: Buffer.byteLength(CSV) } });
    await fetch(started.body.upload.url, { method: 'PUT', body: CSV });
    await t.call('POST', `/v1/datasets/${datasetId}/versions/${started.body.version.version}/complete`, { key: t.keys.dsp.key, body: {} });
    return started.body.version.version as number;
  };
  const licence = async (clauses: unknown[]) => {
    const offer = await t.call('POST', '/v1/offers', { key: t.keys.dsp.key, body: { datasetId, template: 'territorial-restricted', clauses, audience: ['private'] } });
    expect(offer.status, JSON.stringify(offer.body)).toBe(201);
    const requested = await t.call('POST', '/v1/licences', { key: t.keys.private.key, body: { offerId: offer.body.id, purpose: 'planning' } });
    const signed = await t.call('POST', `/v1/licences/${requested.body.id}/sign`, { key: t.keys.private.key });
    expect(signed.body.state, JSON.stringify(signed.body)).toBe('active');
    return signed.body.id as string;
  };
  const accessed = async (licenceId: string) =>
    (await t.call('GET', `/v1/audit?subject=${licenceId}`, { key: t.keys.private.key })).body.items.filter((e: { body: { action: string } }) => e.body.action === 'licence.accessed').length;
  const lines = async (url: string) => (await (await fetch(url)).text()).split(/\r?\n/).filter(Boolean);

  beforeAll(async () => {
    // Arrange: one dataset, three licences of one firm (redacting, plain, then revoked), four subscribers on each.
    await receiver.start();
    t = await startTestRuntime({ webhookRetryEveryMs: 3600_000 });
    const created = await t.call('POST', '/v1/datasets', {
      key: t.keys.dsp.key,
      body: { title: 'Fréquentation', description: 'x', theme: 'mobility', classification: 'shared', format: 'csv', schema: { fields: [{ name: 'line', type: 'string' }, { name: 'driver_name', type: 'string' }, { name: 'passengers', type: 'integer' }] } },
    });
    datasetId = created.body.id;
    await upload();
    await t.runtime.settle();
    licences.redacted = await licence([{ kind: 'redact-fields', params: { fields: ['driver_name'] } }]);
    licences.plain = await licence([]);
    licences.revoked = await licence([]);
    await Promise.all(
      KINDS.flatMap((kind) =>
        paths(kind).map(async (path) => {
          const sub = await t.call('POST', '/v1/subscriptions', { key: t.keys.private.key, body: { licenceId: licences[kind], webhook: { url: `${receiver.url}${path}` } } });
          expect(sub.status, JSON.stringify(sub.body)).toBe(201);
        }),
      ),
    );
    const revoked = await t.call('POST', `/v1/licences/${licences.revoked}/revoke`, { key: t.keys.dsp.key, body: { reason: 'the firm broke the purpose clause' } });
    expect(revoked.body.state, JSON.stringify(revoked.body)).toBe('revoked');
  });
  afterAll(async () => {
    await t.stop();
    await receiver.stop();
  });

  it('delivers once to every subscriber: its own enforced variant under a live licence, no link under the revoked one', async () => {
    // Act
    const version = await upload();
    for (const kind of KINDS) for (const path of paths(kind)) await receiver.waitFor(path, 1);
    await t.runtime.settle();

    // Assert: one delivery each, one event.
    const all = KINDS.flatMap(paths).map((path) => receiver.on(path));
    expect(all.map((hooks) => hooks.length)).toEqual(Array(KINDS.length * PER_LICENCE).fill(1));
    expect(new Set(all.map(([h]) => h!.headers['comptoir-event-id'])).size).toBe(1);
    const payload = (path: string) => JSON.parse(receiver.on(path)[0]!.body);
    for (const path of paths('redacted')) {
      expect(payload(path)).toMatchObject({ version, access: { transforms: [{ kind: 'redact-fields' }] } });
      expect(await lines(payload(path).access.url)).toEqual(['line;driver_name;passengers', 'A;;120', 'B;;80']);
    }
    for (const path of paths('plain')) {
      expect(payload(path)).toMatchObject({ version, access: { transforms: [] } });
      expect(await lines(payload(path).access.url)).toEqual(['line;driver_name;passengers', 'A;Jeanne Martin;120', 'B;Paul Durand;80']);
    }
    for (const path of paths('revoked')) expect(payload(path)).toMatchObject({ version, access: null, reasons: [{ clause: 'validity', message: expect.stringContaining('revoked') }] });
    // The access is counted once per delivery under a live licence, never under the revoked one.
    expect([await accessed(licences.redacted), await accessed(licences.plain), await accessed(licences.revoked)]).toEqual([PER_LICENCE, PER_LICENCE, 0]);
  });

  it('three workers fanning the same event at once deliver each subscriber exactly once, and count each access once', async () => {
    // Arrange: the event of the published version, as a duplicated and concurrent bus would hand it to three workers.
    const first = JSON.parse(receiver.on('/plain0')[0]!.body);
    const event = { eventId: `evt-concurrent-${Date.now()}`, datasetId, version: first.version, sha256: first.sha256, publishedAt: first.publishedAt };
    const { deliveryService } = await import('../../functions/wiring/deliveries.ts');
    const before = [await accessed(licences.redacted), await accessed(licences.plain)];

    // Act
    const runs = await Promise.all([deliveryService.onPublished(event), deliveryService.onPublished(event), deliveryService.onPublished(event)]);
    await t.runtime.settle();

    // Assert
    const hooks = KINDS.flatMap(paths).map((path) => receiver.on(path).filter((h) => h.headers['comptoir-event-id'] === event.eventId));
    expect(hooks.map((h) => h.length)).toEqual(Array(KINDS.length * PER_LICENCE).fill(1));
    expect(runs.reduce((n, r) => n + r.delivered, 0)).toBe(KINDS.length * PER_LICENCE);
    expect(runs.reduce((n, r) => n + r.failed, 0)).toBe(0);
    expect([await accessed(licences.redacted), await accessed(licences.plain)]).toEqual(before.map((n) => n + PER_LICENCE));
  });
});
