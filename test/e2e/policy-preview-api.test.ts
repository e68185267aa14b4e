import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

describe('POST /v1/policy/preview', () => {
  let t: TestRuntime;
  let offerId: string;
  let openOfferId: string;

  beforeAll(async () => {
    t = await startTestRuntime();
    const schema = { fields: [{ name: 'vehicle_id', type: 'string', personal: true }, { name: 'duree', type: 'integer' }] };
    const trips = await t.call('POST', '/v1/datasets', { key: t.keys.public.key, body: { title: 'Trajets', description: 'Trajets à la demande', theme: 'mobility', classification: 'shared', format: 'csv', schema } });
    const offer = await t.call('POST', '/v1/offers', { key: t.keys.public.key, body: { datasetId: trips.body.id, template: 'territorial-restricted', audience: ['private', 'public'] } });
    expect(offer.status, JSON.stringify(offer.body)).toBe(201);
    offerId = offer.body.id;
    const open = await t.call('POST', '/v1/datasets', { key: t.keys.dsp.key, body: { title: 'Bornes', description: 'Bornes de recharge', theme: 'energy', classification: 'open', format: 'csv', schema: { fields: [{ name: 'id', type: 'string' }] } } });
    openOfferId = (await t.call('POST', '/v1/offers', { key: t.keys.dsp.key, body: { datasetId: open.body.id, template: 'etalab-2.0', audience: ['private'] } })).body.id;
  });
  afterAll(() => t.stop());

  it('tells, per open offer and audience, what a draft would add, refuse or leave alone, and saves nothing', async () => {
    const rules = [
      { id: 'mobilite-entreprises', when: { theme: 'mobility', licenseeKinds: ['private'] }, require: [{ kind: 'share-back', params: { theme: 'mobility', every: 'P1M', graceDays: 5 } }] },
      { id: 'pas-de-revente-interdite', when: { theme: 'mobility', licenseeKinds: ['public'] }, forbid: ['no-resale'] },
    ];
    const res = await t.call('POST', '/v1/policy/preview', { key: t.keys.officer.key, body: { rules } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ currentVersion: 0, offers: 2, truncated: false });
    const of = (id: string, audience: string) => res.body.items.find((i: { offerId: string; audience: string }) => i.offerId === id && i.audience === audience);
    expect(of(offerId, 'private')).toMatchObject({ outcome: 'changed', appliedRules: ['mobilite-entreprises'], added: [{ kind: 'share-back', params: { theme: 'mobility', every: 'P1M', graceDays: 5 } }], removed: [] });
    expect(of(offerId, 'public')).toMatchObject({ outcome: 'refused', violation: { rule: 'pas-de-revente-interdite' } });
    expect(of(openOfferId, 'private')).toMatchObject({ outcome: 'unchanged', added: [], removed: [] });
    expect((await t.call('GET', '/v1/policy', { key: t.keys.officer.key })).body).toMatchObject({ version: 0, rules: [] });
  });

  it('shows approval changes, and offers the current policy refuses that the draft would allow again', async () => {
    const approval = await t.call('POST', '/v1/policy/preview', { key: t.keys.officer.key, body: { rules: [{ id: 'energie-approuvee', when: { theme: 'energy' }, requireApproval: true }] } });
    expect(approval.body.items.find((i: { offerId: string }) => i.offerId === openOfferId)).toMatchObject({ outcome: 'changed', added: [], removed: [], requiresApproval: { before: false, after: true } });

    const strict = await t.call('PUT', '/v1/policy', { key: t.keys.officer.key, body: { rules: [{ id: 'pas-de-revente', when: { theme: 'mobility' }, forbid: ['no-resale'] }] } });
    expect(strict.status).toBe(200);
    const relaxed = await t.call('POST', '/v1/policy/preview', { key: t.keys.officer.key, body: { rules: [] } });
    expect(relaxed.body.currentVersion).toBe(1);
    expect(relaxed.body.items.filter((i: { offerId: string }) => i.offerId === offerId).map((i: { outcome: string }) => i.outcome)).toEqual(['allowed', 'allowed']);
    await t.call('PUT', '/v1/policy', { key: t.keys.officer.key, body: { rules: [] } });
  });

  it('is for officers, and refuses invalid rules with the path of the problem', async () => {
    expect((await t.call('POST', '/v1/policy/preview', { key: t.keys.private.key, body: { rules: [] } })).status).toBe(403);
    const bad = await t.call('POST', '/v1/policy/preview', { key: t.keys.officer.key, body: { rules: [{ id: 'x', require: [{ kind: 'quota', params: { count: 0, per: 'P1D' } }] }] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toEqual(['rules', '0', 'require', '0', 'params', 'count']);
    expect((await t.call('POST', '/v1/policy/preview', { body: { rules: [] } })).status).toBe(401);
  });
});
