import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

const CSV = 'line;passengers\r\nA;120\r\nB;80\r\n';

// Each case is a drift a strict client (a validating proxy, a generated SDK) met; the runtime's hook also checks every answer here against /openapi.json.
describe('the API answers as its OpenAPI document says', () => {
  let t: TestRuntime;
  let datasetId: string;
  let offerId: string;

  const publish = async (key: string, id: string) => {
    const started = await t.call('POST', `/v1/datasets/${id}/versions`, { key, body: { bytes: Buffer.byteLength(CSV) } });
    await fetch(started.body.upload.url, { method: 'PUT', body: CSV });
    await t.call('POST', `/v1/datasets/${id}/versions/${started.body.version.version}/complete`, { key, body: {} });
    await t.runtime.settle();
    return started.body.version.version as number;
  };
  const licence = async (purpose = 'planning') => {
    const requested = await t.call('POST', '/v1/licences', { key: t.keys.private.key, body: { offerId, purpose } });
    expect(requested.status, JSON.stringify(requested.body)).toBe(201);
    if (requested.body.state === 'pending_approval') await t.call('POST', `/v1/licences/${requested.body.id}/approve`, { key: t.keys.officer.key, body: {} });
    return requested.body.id as string;
  };

  beforeAll(async () => {
    t = await startTestRuntime();
    const ds = await t.call('POST', '/v1/datasets', {
      key: t.keys.dsp.key,
      body: { title: 'Fréquentation des lignes', description: 'Montées par ligne', theme: 'mobility', classification: 'restricted', format: 'csv', schema: { fields: [{ name: 'line', type: 'string' }, { name: 'passengers', type: 'integer' }] } },
    });
    datasetId = ds.body.id;
    await publish(t.keys.dsp.key, datasetId);
    const offer = await t.call('POST', '/v1/offers', {
      key: t.keys.dsp.key,
      body: { datasetId, template: 'territorial-restricted', audience: ['private'], clauses: [{ kind: 'purpose', params: { allowed: ['planning'] } }] },
    });
    expect(offer.status, JSON.stringify(offer.body)).toBe(201);
    offerId = offer.body.id;
  });
  afterAll(() => t.stop());

  it('names an offer by its id only, when created and when listed', async () => {
    const listed = await t.call('GET', `/v1/offers?datasetId=${datasetId}`, { key: t.keys.private.key });
    expect(listed.body.items).toHaveLength(1);
    expect(listed.body.items[0].id).toBe(offerId);
    expect(listed.body.items[0]).not.toHaveProperty('offerId');
  });

  it('signs with an empty JSON body as well as with none, and refuses a body with fields', async () => {
    const withEmpty = await licence();
    const signed = await t.call('POST', `/v1/licences/${withEmpty}/sign`, { key: t.keys.private.key, body: {} });
    expect(signed.status, JSON.stringify(signed.body)).toBe(200);
    expect(signed.body.state).toBe('active');

    const withFields = await licence();
    const refused = await t.call('POST', `/v1/licences/${withFields}/sign`, { key: t.keys.private.key, body: { accept: true } });
    expect(refused.status).toBe(400);
    expect((await t.call('GET', `/v1/licences/${withFields}`, { key: t.keys.private.key })).body.state).toBe('awaiting_signature');
    expect((await t.call('POST', `/v1/licences/${withFields}/sign`, { key: t.keys.private.key })).status).toBe(200);
  });

  it('lets a client poll every access id it was given, including one granted at once', async () => {
    const id = await licence();
    await t.call('POST', `/v1/licences/${id}/sign`, { key: t.keys.private.key });
    const granted = await t.call('POST', `/v1/licences/${id}/access`, { key: t.keys.private.key, body: { purpose: 'planning' } });
    expect(granted.status).toBe(200);
    expect(granted.body).toMatchObject({ decision: 'permit', status: 'ready', url: expect.any(String) });

    const polled = await t.call('GET', `/v1/access/${granted.body.accessId}`, { key: t.keys.private.key });
    expect(polled.status, JSON.stringify(polled.body)).toBe(200);
    expect(polled.body).toMatchObject({ accessId: granted.body.accessId, status: 'ready', version: granted.body.version });
    expect(await (await fetch(polled.body.url)).text()).toBe(CSV);
    // Another partner's key learns nothing about it.
    expect((await t.call('GET', `/v1/access/${granted.body.accessId}`, { key: t.keys.public.key })).status).toBe(404);
  });

  it('answers a denial with the error shape and the clauses that deny', async () => {
    const id = await licence();
    await t.call('POST', `/v1/licences/${id}/sign`, { key: t.keys.private.key });
    const denied = await t.call('POST', `/v1/licences/${id}/access`, { key: t.keys.private.key, body: { purpose: 'marketing' } });
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ error: { code: 'access_denied' }, decision: 'deny', reasons: [{ clause: 'purpose' }] });
  });

  it('shows the territory policy without a key', async () => {
    const policy = await t.call('GET', '/v1/policy');
    expect(policy.status).toBe(200);
    expect(policy.body).toMatchObject({ version: expect.any(Number), rules: expect.any(Array) });
  });

  it('computes compliance as of a date as well as of an instant', async () => {
    const contract = await t.call('POST', '/v1/contracts', {
      key: t.keys.officer.key,
      body: { operatorId: t.keys.dsp.partnerId, service: 'Transports', startsOn: '2027-01-01', endsOn: '2031-12-31', obligations: [{ id: 'frequentation', title: 'Fréquentation mensuelle', every: 'P1M', graceDays: 5 }] },
    });
    const contractId = contract.body.id;
    const byDate = await t.call('GET', `/v1/contracts/${contractId}/compliance?at=2027-06-01`, { key: t.keys.officer.key });
    expect(byDate.status, JSON.stringify(byDate.body)).toBe(200);
    expect(byDate.body.asOf).toBe('2027-06-01T00:00:00Z');
    const byInstant = await t.call('GET', `/v1/contracts/${contractId}/compliance?at=2027-06-01T00:00:00Z`, { key: t.keys.officer.key });
    expect(byInstant.body).toEqual(byDate.body);
    expect((await t.call('GET', `/v1/contracts/${contractId}/compliance?at=2027-13-01`, { key: t.keys.officer.key })).status).toBe(400);
  });

  it('purges a version with the reason in the query, and refuses a purge without a reason', async () => {
    const ds = await t.call('POST', '/v1/datasets', { key: t.keys.dsp.key, body: { title: 'Purge', description: 'Essai', theme: 'mobility', classification: 'restricted', format: 'csv', schema: { fields: [{ name: 'line', type: 'string' }, { name: 'passengers', type: 'integer' }] } } });
    const first = await publish(t.keys.dsp.key, ds.body.id);
    const second = await publish(t.keys.dsp.key, ds.body.id);

    const unexplained = await t.call('DELETE', `/v1/datasets/${ds.body.id}/versions/${first}`, { key: t.keys.dsp.key });
    expect(unexplained.status).toBe(400);
    expect(unexplained.body.error.message).toContain('reason');
    expect((await t.call('GET', `/v1/datasets/${ds.body.id}/versions/${first}`, { key: t.keys.dsp.key })).body.status).toBe('published');
    const twice = await t.call('DELETE', `/v1/datasets/${ds.body.id}/versions/${first}?reason=${encodeURIComponent('données erronées')}`, { key: t.keys.dsp.key, body: { reason: 'autre chose' } });
    expect(twice.status).toBe(400);

    const purged = await t.call('DELETE', `/v1/datasets/${ds.body.id}/versions/${first}?reason=${encodeURIComponent('données erronées')}`, { key: t.keys.dsp.key });
    expect(purged.status, JSON.stringify(purged.body)).toBe(200);
    expect(purged.body.status).toBe('purged');
    // The JSON body of earlier clients still works.
    const byBody = await t.call('DELETE', `/v1/datasets/${ds.body.id}/versions/${second}`, { key: t.keys.dsp.key, body: { reason: 'doublon' } });
    expect(byBody.body.status).toBe('purged');
  });

  it('refuses a zone layer with empty or malformed rings with a 400, not a crash', async () => {
    for (const coordinates of [[[]], [[null, 1]], [[[2.3, 48.8], [2.31, 48.8]]]]) {
      const refused = await t.call('PUT', '/v1/zones/essai', { key: t.keys.officer.key, body: { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Polygon', coordinates } }] } });
      expect(refused.status, JSON.stringify(coordinates)).toBe(400);
    }
    expect((await t.call('GET', '/v1/zones/essai', { key: t.keys.officer.key })).status).toBe(404);
  });

  it('serves a document that Redocly lints with no error and no warning under the committed configuration', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'comptoir-lint-'));
    try {
      const file = join(dir, 'openapi.json');
      await writeFile(file, JSON.stringify((await t.call('GET', '/openapi.json')).body));
      const lint = spawnSync(process.execPath, ['node_modules/@redocly/cli/bin/cli.js', 'lint', file, '--config', 'redocly.yaml', '--format', 'json'], {
        encoding: 'utf8',
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NODE_OPTIONS: '' },
      });
      const report = JSON.parse(lint.stdout.slice(lint.stdout.indexOf('{')));
      expect(report.problems, lint.stderr).toEqual([]);
      expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
