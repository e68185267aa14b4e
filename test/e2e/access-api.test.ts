import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../functions/adapters/dynamo/client.ts';
import { variantItemKey } from '../../functions/adapters/dynamo/keys.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { dynamoEndpoint } from '../support/emulators.ts';

const SCHOOL_ZONE = {
  type: 'FeatureCollection',
  features: [{ type: 'Feature', properties: { name: 'École Jules Ferry' }, geometry: { type: 'Polygon', coordinates: [[[2.30, 48.80], [2.31, 48.80], [2.31, 48.81], [2.30, 48.81], [2.30, 48.80]]] } }],
};
const CSV = [
  'vehicle_id;driver_name;lat;lon',
  'BUS-001;Jeanne Martin;48.8050;2.3050',
  'BUS-002;"Paul; dit ""Polo""";48.8500;2.3500',
  'BUS-001;Jeanne Martin;48.8600;2.3600',
  'BUS-003;;48.7000;2.2000',
].join('\r\n') + '\r\n';

describe('enforced access over HTTP on the local runtime', () => {
  let t: TestRuntime;
  let licenceId: string;
  let preparedAccessId: string;
  let datasetId: string;

  const download = async (url: string) => (await (await fetch(url)).text()).split(/\r?\n/).filter(Boolean);
  const access = (purpose: string, key = t.keys.private.key) => t.call('POST', `/v1/licences/${licenceId}/access`, { key, body: { purpose } });

  /** Access until the variant is ready, as a client honouring retryAfter would (the bus is asynchronous). */
  const accessUntilReady = async (purpose: string) => {
    const first = await access(purpose);
    if (first.status !== 202) return first;
    await t.runtime.settle();
    return t.call('GET', `/v1/access/${first.body.accessId}`, { key: t.keys.private.key });
  };

  beforeAll(async () => {
    t = await startTestRuntime();
    const { officer, dsp, private: firm } = t.keys;
    await t.call('PUT', '/v1/policy', {
      key: officer.key,
      body: { rules: [{ id: 'mobility-private', when: { theme: 'mobility', licenseeKinds: ['private'] }, require: [{ kind: 'pseudonymise-fields', params: { fields: ['vehicle_id'] } }] }] },
    });
    await t.call('PUT', '/v1/zones/ecoles', { key: officer.key, body: SCHOOL_ZONE });
    const ds = await t.call('POST', '/v1/datasets', {
      key: dsp.key,
      body: {
        title: 'Positions des navettes', description: 'Traces GPS', theme: 'mobility', classification: 'restricted', format: 'csv',
        schema: { fields: [{ name: 'vehicle_id', type: 'string', personal: true }, { name: 'driver_name', type: 'string' }, { name: 'lat', type: 'number' }, { name: 'lon', type: 'number' }] },
      },
    });
    datasetId = ds.body.id;
    const started = await t.call('POST', `/v1/datasets/${ds.body.id}/versions`, { key: dsp.key, body: { bytes: Buffer.byteLength(CSV) } });
    await fetch(started.body.upload.url, { method: 'PUT', body: CSV });
    await t.call('POST', `/v1/datasets/${ds.body.id}/versions/1/complete`, { key: dsp.key, body: {} });
    await t.runtime.settle();
    const offer = await t.call('POST', '/v1/offers', {
      key: dsp.key,
      body: {
        datasetId: ds.body.id, template: 'mobility', audience: ['private'],
        clauses: [
          { kind: 'purpose', params: { allowed: ['navigation'] } },
          { kind: 'redact-fields', params: { fields: ['driver_name'] } },
          { kind: 'exclusion-zones', params: { zone: 'ecoles', position: { lat: 'lat', lon: 'lon' } } },
          { kind: 'quota', params: { count: 3, per: 'P1D' } },
        ],
      },
    });
    const requested = await t.call('POST', '/v1/licences', { key: firm.key, body: { offerId: offer.body.id, purpose: 'navigation' } });
    licenceId = requested.body.id;
    await t.call('POST', `/v1/licences/${licenceId}/approve`, { key: officer.key, body: {} });
    const signed = await t.call('POST', `/v1/licences/${licenceId}/sign`, { key: firm.key });
    expect(signed.body.state).toBe('active');
  });
  afterAll(() => t.stop());

  it('delivers the enforced variant: redacted, pseudonymised, rows in school zones removed', async () => {
    const first = await access('navigation');
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ decision: 'permit', status: 'preparing', retryAfter: expect.any(Number) });
    preparedAccessId = first.body.accessId;
    await t.runtime.settle();
    const ready = await t.call('GET', `/v1/access/${first.body.accessId}`, { key: t.keys.private.key });

    expect(ready.status).toBe(200);
    expect(ready.body.transforms.map((c: { kind: string }) => c.kind)).toEqual(['exclusion-zones', 'redact-fields', 'pseudonymise-fields']);
    const lines = await download(ready.body.url);
    expect(lines[0]).toBe('vehicle_id;driver_name;lat;lon');
    expect(lines).toHaveLength(4);
    const rows = lines.slice(1).map((l) => l.split(';'));
    expect(rows.map((r) => r[1])).toEqual(['', '', '']);
    expect(rows.map((r) => r[2])).toEqual(['48.8500', '48.8600', '48.7000']);
    expect(rows[0]![0]).toMatch(/^[0-9a-f]{32}$/);
    expect(rows[1]![0]).not.toBe('BUS-001');
    expect(lines.join('\n')).not.toContain('Jeanne');

    const again = await accessUntilReady('navigation');
    expect(again.status).toBe(200);
    const second = (await download(again.body.url)).slice(1).map((l) => l.split(';')[0]);
    expect(second).toEqual(rows.map((r) => r[0]));
    expect((await t.call('GET', `/v1/access/${first.body.accessId}`, { key: t.keys.dsp.key })).status).toBe(404);
  });

  it('denies a purpose the licence does not allow, naming the clause, without consuming quota', async () => {
    const denied = await access('advertising');
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ decision: 'deny', reasons: [{ clause: 'purpose', message: expect.stringContaining('advertising') }], error: { code: 'access_denied' } });
  });

  it('exhausts the quota exactly at N', async () => {
    // Two accesses above already counted: the third is the last of the day.
    expect((await access('navigation')).status).toBe(200);
    const over = await access('navigation');
    expect(over.status).toBe(403);
    expect(over.body.reasons).toEqual([{ clause: 'quota', message: expect.stringContaining('quota of 3') }]);
  });

  it('shows the versions of a licensed dataset to its licensee, not to others', async () => {
    expect((await t.call('GET', `/v1/datasets/${datasetId}/versions/1`, { key: t.keys.private.key })).body).toMatchObject({ status: 'published', version: 1 });
    expect((await t.call('GET', `/v1/datasets/${datasetId}/versions`, { key: t.keys.private.key })).body.items).toHaveLength(1);
    expect((await t.call('GET', `/v1/datasets/${datasetId}/versions/1`, { key: t.keys.public.key })).status).toBe(403);
  });

  it('lets only the licensee access, and exposes the licence as ODRL', async () => {
    expect((await access('navigation', t.keys.dsp.key)).status).toBe(403);
    expect((await access('navigation', t.keys.public.key)).status).toBe(404);
    const odrl = await fetch(`${t.runtime.url}/v1/licences/${licenceId}/odrl`, { headers: { authorization: `Bearer ${t.keys.officer.key}` } });
    expect(odrl.headers.get('content-type')).toContain('application/ld+json');
    expect(await odrl.json()).toMatchObject({ '@type': 'Agreement', uid: expect.stringContaining(licenceId) });
  });

  it('tells a poller that a build whose builder stopped will not finish, and to ask again; a live build is still preparing', async () => {
    const db = createDocumentClient({ endpoint: dynamoEndpoint() });
    try {
      const { variantKey } = (await db.send(new GetCommand({ TableName: t.tableName, Key: { pk: `ACCESS#${preparedAccessId}`, sk: 'ACCESS' } }))).Item!;
      const Key = variantItemKey(variantKey);
      const built = (await db.send(new GetCommand({ TableName: t.tableName, Key }))).Item!;
      const building = async (leaseUntil: Date) => db.send(new PutCommand({ TableName: t.tableName, Item: { ...Key, key: variantKey, status: 'building', leaseUntil: leaseUntil.toISOString() } }));

      await building(new Date(Date.now() - 1000));
      const stalled = await t.call('GET', `/v1/access/${preparedAccessId}`, { key: t.keys.private.key });
      expect(stalled.status).toBe(422);
      expect(stalled.body.error).toMatchObject({ code: 'variant_stalled', message: expect.stringContaining('ask again') });

      await building(new Date(Date.now() + 60_000));
      const alive = await t.call('GET', `/v1/access/${preparedAccessId}`, { key: t.keys.private.key });
      expect(alive.status).toBe(202);
      await db.send(new PutCommand({ TableName: t.tableName, Item: built }));
    } finally {
      db.destroy();
    }
  });

  it('denies every access once the licence is revoked', async () => {
    await t.call('POST', `/v1/licences/${licenceId}/revoke`, { key: t.keys.dsp.key, body: { reason: 'fin du partenariat' } });
    const denied = await access('navigation');
    expect(denied.status).toBe(403);
    expect(denied.body.reasons[0].message).toContain('revoked');
    // An access prepared before the revocation no longer yields bytes either.
    const late = await t.call('GET', `/v1/access/${preparedAccessId}`, { key: t.keys.private.key });
    expect(late.status).toBe(403);
    expect(late.body.reasons[0].message).toContain('revoked');
  });
});
