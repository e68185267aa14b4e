import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

const CSV = 'line,driver,count\nA,Jeanne,3\nB,Paul,4\n';

describe('barter over HTTP on the local runtime', () => {
  let t: TestRuntime;
  let operatorOffer: string;
  let firmOffer: string;

  const dataset = async (key: string, theme: string, title: string) => {
    const ds = await t.call('POST', '/v1/datasets', {
      key,
      body: { title, description: 'x', theme, classification: 'shared', format: 'csv', schema: { fields: [{ name: 'line', type: 'string' }, { name: 'driver', type: 'string' }, { name: 'count', type: 'integer' }] } },
    });
    const started = await t.call('POST', `/v1/datasets/${ds.body.id}/versions`, { key, body: { bytes: CSV.length } });
    await fetch(started.body.upload.url, { method: 'PUT', body: CSV });
    await t.call('POST', `/v1/datasets/${ds.body.id}/versions/1/complete`, { key, body: {} });
    return ds.body.id as string;
  };
  const balance = async (key: string) => (await t.call('GET', '/v1/ledger', { key })).body.balance as number;
  const propose = (key: string, give: string, credits?: number) =>
    t.call('POST', '/v1/barters', { key, body: { offerId: operatorOffer, give: { offerId: give, ...(credits ? { credits } : {}) }, purpose: 'planning' } });

  beforeAll(async () => {
    t = await startTestRuntime();
    const operatorData = await dataset(t.keys.dsp.key, 'mobility', 'Fréquentation des lignes');
    const firmData = await dataset(t.keys.private.key, 'mobility', 'Trajets agrégés');
    await t.runtime.settle();
    const o1 = await t.call('POST', '/v1/offers', {
      key: t.keys.dsp.key,
      body: { datasetId: operatorData, template: 'territorial-restricted', clauses: [{ kind: 'redact-fields', params: { fields: ['driver'] } }], barter: { accepts: { themes: ['mobility'] } }, audience: ['private', 'public'] },
    });
    const o2 = await t.call('POST', '/v1/offers', { key: t.keys.private.key, body: { datasetId: firmData, template: 'territorial-restricted', audience: ['dsp'] } });
    expect(o1.status, JSON.stringify(o1.body)).toBe(201);
    operatorOffer = o1.body.id;
    firmOffer = o2.body.id;
    await t.call('POST', '/v1/ledger/grants', { key: t.keys.officer.key, body: { partnerId: t.keys.private.partnerId, credits: 20 } });
  });
  afterAll(() => t.stop());

  it('refuses to sell an offer that demands data in exchange, and a barter giving the wrong theme', async () => {
    expect((await t.call('POST', '/v1/licences', { key: t.keys.private.key, body: { offerId: operatorOffer, purpose: 'planning' } })).body.error.code).toBe('barter_required');
    const culture = await dataset(t.keys.public.key, 'culture', 'Musées');
    const offer = await t.call('POST', '/v1/offers', { key: t.keys.public.key, body: { datasetId: culture, template: 'territorial-restricted', audience: ['dsp'] } });
    expect((await propose(t.keys.public.key, offer.body.id)).body.error.code).toBe('barter_terms');
    expect((await propose(t.keys.dsp.key, operatorOffer)).body.error.code).toBe('own_offer');
    expect((await propose(t.keys.private.key, operatorOffer)).body.error.code).toBe('not_your_offer');
  });

  it('activates both licences and moves the balancing credits at once when the counterparty accepts', async () => {
    const proposed = await propose(t.keys.private.key, firmOffer, 5);
    expect(proposed.status, JSON.stringify(proposed.body)).toBe(201);
    expect(proposed.body.state).toBe('proposed');
    const id = proposed.body.id;
    expect((await t.call('POST', `/v1/barters/${id}/accept`, { key: t.keys.private.key, body: { purpose: 'public-service' } })).status).toBe(403);

    // Twenty accepts at once: one settlement.
    const accepts = await Promise.all(Array.from({ length: 20 }, () => t.call('POST', `/v1/barters/${id}/accept`, { key: t.keys.dsp.key, body: { purpose: 'public-service' } })));
    expect(accepts.filter((a) => a.status === 200)).toHaveLength(1);
    expect(accepts.every((a) => a.status === 200 || a.status === 409)).toBe(true);
    await t.runtime.settle();

    const barter = (await t.call('GET', `/v1/barters/${id}`, { key: t.keys.private.key })).body;
    expect(barter.state).toBe('accepted');
    expect(await balance(t.keys.private.key)).toBe(15);
    expect(await balance(t.keys.dsp.key)).toBe(5);
    const forFirm = (await t.call('GET', `/v1/licences/${barter.want.licenceId}`, { key: t.keys.private.key })).body;
    const forOperator = (await t.call('GET', `/v1/licences/${barter.give.licenceId}`, { key: t.keys.dsp.key })).body;
    expect([forFirm.state, forOperator.state]).toEqual(['active', 'active']);
    expect(forFirm.clauses.map((c: { kind: string }) => c.kind)).toContain('redact-fields');
    expect(forOperator.clauses.map((c: { kind: string }) => c.kind)).not.toContain('redact-fields');

    // Each licence enforces its own clauses.
    const firmAccess = await t.call('POST', `/v1/licences/${forFirm.id}/access`, { key: t.keys.private.key, body: { purpose: 'planning' } });
    expect(firmAccess.status).toBe(202);
    expect((await t.call('POST', `/v1/licences/${forFirm.id}/access`, { key: t.keys.private.key, body: { purpose: 'public-service' } })).status).toBe(403);
    const operatorAccess = await t.call('POST', `/v1/licences/${forOperator.id}/access`, { key: t.keys.dsp.key, body: { purpose: 'public-service' } });
    expect(operatorAccess.status).toBe(200);
    expect(await (await fetch(operatorAccess.body.url)).text()).toContain('Jeanne');
    await t.runtime.settle();
    const enforced = await t.call('GET', `/v1/access/${firmAccess.body.accessId}`, { key: t.keys.private.key });
    expect(await (await fetch(enforced.body.url)).text()).not.toContain('Jeanne');
  });

  it('activates nothing when the counterparty declines', async () => {
    const before = (await t.call('GET', '/v1/licences', { key: t.keys.private.key })).body.items.length;
    const proposed = await propose(t.keys.private.key, firmOffer);
    const declined = await t.call('POST', `/v1/barters/${proposed.body.id}/decline`, { key: t.keys.dsp.key, body: { reason: 'pas maintenant' } });
    expect(declined.body.state).toBe('declined');
    expect((await t.call('POST', `/v1/barters/${proposed.body.id}/accept`, { key: t.keys.dsp.key, body: { purpose: 'public-service' } })).status).toBe(409);
    expect((await t.call('GET', '/v1/licences', { key: t.keys.private.key })).body.items).toHaveLength(before);
    expect(await balance(t.keys.private.key)).toBe(15);
    expect((await t.call('GET', '/v1/barters', { key: t.keys.officer.key })).body.items.length).toBeGreaterThanOrEqual(2);
  });

  it('waits for an officer on each side that needs one, and keeps Idempotency-Keys per caller', async () => {
    const restricted = await t.call('POST', '/v1/datasets', {
      key: t.keys.private.key,
      body: { title: 'Traces fines', description: 'x', theme: 'mobility', classification: 'restricted', format: 'csv', schema: { fields: [{ name: 'line', type: 'string' }] } },
    });
    const give = await t.call('POST', '/v1/offers', { key: t.keys.private.key, body: { datasetId: restricted.body.id, template: 'territorial-restricted', audience: ['dsp'] } });
    const headers = (key: string) => ({ authorization: `Bearer ${key}`, 'content-type': 'application/json', 'idempotency-key': 'same-key' });
    const body = JSON.stringify({ offerId: operatorOffer, give: { offerId: give.body.id }, purpose: 'planning' });
    const first = (await (await fetch(`${t.runtime.url}/v1/barters`, { method: 'POST', headers: headers(t.keys.private.key), body })).json()) as { id: string; state: string; give: { requiresApproval: boolean } };
    const retry = (await (await fetch(`${t.runtime.url}/v1/barters`, { method: 'POST', headers: headers(t.keys.private.key), body })).json()) as { id: string };
    expect(retry.id).toBe(first.id);
    expect(first).toMatchObject({ state: 'pending_approval', give: { requiresApproval: true } });
    // The same key from another caller is that caller's own.
    const other = await fetch(`${t.runtime.url}/v1/barters`, { method: 'POST', headers: headers(t.keys.public.key), body });
    expect(other.status).toBe(422);

    expect((await t.call('POST', `/v1/barters/${first.id}/accept`, { key: t.keys.dsp.key, body: { purpose: 'public-service' } })).status).toBe(409);
    const approved = await t.call('POST', `/v1/barters/${first.id}/approve`, { key: t.keys.officer.key, body: { side: 'give', reason: 'échange équilibré' } });
    expect(approved.body.state).toBe('proposed');
    expect((await t.call('POST', `/v1/barters/${first.id}/accept`, { key: t.keys.dsp.key, body: { purpose: 'public-service' } })).body.state).toBe('accepted');
  });

  it('refuses a barter whose balancing credits the proposer cannot pay, changing nothing', async () => {
    const proposed = await propose(t.keys.private.key, firmOffer, 1000);
    const refused = await t.call('POST', `/v1/barters/${proposed.body.id}/accept`, { key: t.keys.dsp.key, body: { purpose: 'public-service' } });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('insufficient_credits');
    expect((await t.call('GET', `/v1/barters/${proposed.body.id}`, { key: t.keys.dsp.key })).body.state).toBe('proposed');
    expect(await balance(t.keys.private.key)).toBe(15);
  });
});
