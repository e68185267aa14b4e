import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

describe('DSP contracts and open data after a delay', () => {
  let t: TestRuntime;
  beforeAll(async () => {
    t = await startTestRuntime();
  });
  afterAll(() => t.stop());

  const day = 24 * 3600 * 1000;
  const today = new Date().toISOString().slice(0, 10);

  const contract = async (obligation: Record<string, unknown>) => {
    const res = await t.call('POST', '/v1/contracts', {
      key: t.keys.officer.key,
      body: { operatorId: t.keys.dsp.partnerId, service: 'Eau potable', startsOn: today, endsOn: '2031-12-31', obligations: [{ id: 'releves', title: 'Relevés mensuels', every: 'P1M', graceDays: 5, ...obligation }] },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string };
  };

  it('shows an obligation late once its due date passed without delivery, and the schedule flags it once', async () => {
    const { id } = await contract({});
    const now = await t.call('GET', `/v1/contracts/${id}/compliance`, { key: t.keys.officer.key });
    expect(now.body.obligations[0]).toMatchObject({ obligationId: 'releves', status: 'on_time', nextDue: expect.any(String) });

    const later = new Date(Date.now() + 40 * day);
    const first = await t.runtime.runSchedule(later);
    const second = await t.runtime.runSchedule(later);
    await t.runtime.settle();

    expect(first.lateFlags).toBeGreaterThanOrEqual(1);
    expect(second.lateFlags).toBe(0);
    const compliance = await t.call('GET', `/v1/contracts/${id}/compliance?at=${later.toISOString()}`, { key: t.keys.dsp.key });
    expect(compliance.body.obligations[0]).toMatchObject({ status: 'late', lastDuePeriod: { index: 0 } });
    const audit = await t.call('GET', `/v1/audit?subject=${id}`, { key: t.keys.officer.key });
    expect(audit.body.items.filter((e: { body: { action: string } }) => e.body.action === 'contract.delivery.late')).toHaveLength(1);
    expect((await t.call('GET', `/v1/contracts/${id}`, { key: t.keys.private.key })).status).toBe(404);
    // Who may call comes before what the body says: an operator learns nothing of the contract schema.
    expect((await t.call('POST', '/v1/contracts', { key: t.keys.dsp.key, body: {} })).status).toBe(403);
    expect((await t.call('POST', '/v1/contracts', { key: t.keys.officer.key, body: {} })).status).toBe(400);
    const base = { operatorId: t.keys.dsp.partnerId, service: 'Eau', startsOn: '2026-01-01', endsOn: '2027-01-01' };
    const tooFine = await t.call('POST', '/v1/contracts', { key: t.keys.officer.key, body: { ...base, obligations: [{ id: 'x', title: 'Chaque seconde', every: 'PT1S', graceDays: 0 }] } });
    expect(tooFine.body.error.code).toBe('period_too_short');
    const huge = await t.call('POST', '/v1/contracts', { key: t.keys.officer.key, body: { ...base, obligations: [{ id: 'x', title: 'Jamais', every: 'P999999999Y', graceDays: 0 }] } });
    expect(huge.status).toBe(400);
  });

  it('opens a delivered version once openDataAfter has passed, but never one with personal fields', async () => {
    const { id: contractId } = await contract({ openDataAfter: 'P1D' });
    const plain = await t.call('POST', '/v1/datasets', {
      key: t.keys.dsp.key,
      body: { title: 'Volumes distribués', description: 'Par commune', theme: 'water', classification: 'restricted', format: 'csv', schema: { fields: [{ name: 'commune', type: 'string' }, { name: 'm3', type: 'number' }] }, obligation: { contractId, obligationId: 'releves' } },
    });
    const personal = await t.call('POST', '/v1/datasets', {
      key: t.keys.dsp.key,
      body: { title: 'Abonnés', description: 'Par abonné', theme: 'water', classification: 'restricted', format: 'csv', schema: { fields: [{ name: 'abonne', type: 'string', personal: true }, { name: 'm3', type: 'number' }] }, obligation: { contractId, obligationId: 'releves' } },
    });
    for (const [d, csv] of [[plain.body.id, 'commune,m3\nEvry,12.5\n'], [personal.body.id, 'abonne,m3\nDupont,3\n']] as const) {
      const started = await t.call('POST', `/v1/datasets/${d}/versions`, { key: t.keys.dsp.key, body: { bytes: Buffer.byteLength(csv) } });
      await fetch(started.body.upload.url, { method: 'PUT', body: csv });
      await t.call('POST', `/v1/datasets/${d}/versions/1/complete`, { key: t.keys.dsp.key, body: {} });
    }
    await t.runtime.settle();
    const before = (await t.call('GET', `/v1/datasets/${plain.body.id}/versions/1`, { key: t.keys.dsp.key })).body;
    expect(before).toMatchObject({ status: 'published', open: false, openFrom: expect.any(String) });
    expect((await t.call('GET', `/v1/datasets/${personal.body.id}/versions/1`, { key: t.keys.dsp.key })).body.openBlocked).toBe('personal_fields');
    expect((await t.call('GET', `/v1/contracts/${contractId}/compliance`, { key: t.keys.officer.key })).body.obligations[0].lastDelivery).toBeDefined();

    const result = await t.runtime.runSchedule(new Date(Date.now() + 2 * day));
    await t.runtime.settle();

    expect(result.opened).toBe(1);
    const open = (await t.call('GET', '/open/datasets')).body.items.map((d: { id: string }) => d.id);
    expect(open).toContain(plain.body.id);
    expect(open).not.toContain(personal.body.id);
    const audit = await t.call('GET', `/v1/audit?subject=${plain.body.id}`, { key: t.keys.officer.key });
    expect(audit.body.items.map((e: { body: { action: string } }) => e.body.action)).toContain('dataset.version.opened');
  });

  it('keeps a delivered version closed when its dataset gained personal fields before openDataAfter passed', async () => {
    const { id: contractId } = await contract({ openDataAfter: 'P1D' });
    const ds = await t.call('POST', '/v1/datasets', {
      key: t.keys.dsp.key,
      body: { title: 'Relevés par compteur', description: 'Par compteur', theme: 'water', classification: 'restricted', format: 'csv', schema: { fields: [{ name: 'compteur', type: 'string' }, { name: 'm3', type: 'number' }] }, obligation: { contractId, obligationId: 'releves' } },
    });
    const csv = 'compteur,m3\nDupont-12,3\n';
    const started = await t.call('POST', `/v1/datasets/${ds.body.id}/versions`, { key: t.keys.dsp.key, body: { bytes: Buffer.byteLength(csv) } });
    await fetch(started.body.upload.url, { method: 'PUT', body: csv });
    await t.call('POST', `/v1/datasets/${ds.body.id}/versions/1/complete`, { key: t.keys.dsp.key, body: {} });
    await t.runtime.settle();
    expect((await t.call('GET', `/v1/datasets/${ds.body.id}/versions/1`, { key: t.keys.dsp.key })).body).toMatchObject({ status: 'published', open: false, openFrom: expect.any(String) });
    // Flagging a field personal raises privacy: it applies at once.
    const flagged = await t.call('PATCH', `/v1/datasets/${ds.body.id}`, { key: t.keys.dsp.key, body: { schema: { fields: [{ name: 'compteur', type: 'string', personal: true }, { name: 'm3', type: 'number' }] } } });
    expect(flagged.status).toBe(200);

    await t.runtime.runSchedule(new Date(Date.now() + 2 * day));
    await t.runtime.settle();

    expect((await t.call('GET', `/open/datasets/${ds.body.id}`)).status).toBe(404);
    expect((await t.call('GET', `/v1/datasets/${ds.body.id}/versions/1`, { key: t.keys.dsp.key })).body).toMatchObject({ open: false, openBlocked: 'personal_fields' });
    const audit = await t.call('GET', `/v1/audit?subject=${ds.body.id}`, { key: t.keys.officer.key });
    expect(audit.body.items.map((e: { body: { action: string } }) => e.body.action)).toContain('dataset.version.open_blocked');
    expect((await t.runtime.runSchedule(new Date(Date.now() + 3 * day))).opened).toBe(0);
  });
});
