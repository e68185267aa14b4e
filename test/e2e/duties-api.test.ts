import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDuration } from '../../contracts/calendar.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

const DAY = 24 * 3600 * 1000;
const CSV = 'line,passengers\nA,120\nB,80\n';

describe('licence duties and lifecycle over HTTP on the local runtime', () => {
  let t: TestRuntime;
  let offerId: string;

  const publish = async (key: string, datasetId: string, csv = CSV) => {
    const started = await t.call('POST', `/v1/datasets/${datasetId}/versions`, { key, body: { bytes: Buffer.byteLength(csv) } });
    await fetch(started.body.upload.url, { method: 'PUT', body: csv });
    await t.call('POST', `/v1/datasets/${datasetId}/versions/${started.body.version.version}/complete`, { key, body: {} });
    await t.runtime.settle();
  };
  const mobilityDataset = async (key: string, title: string) =>
    (await t.call('POST', '/v1/datasets', { key, body: { title, description: 'Fréquentation', theme: 'mobility', classification: 'shared', format: 'csv', schema: { fields: [{ name: 'line', type: 'string' }, { name: 'passengers', type: 'integer' }] } } })).body.id as string;
  const signedLicence = async (offer: string) => {
    const requested = await t.call('POST', '/v1/licences', { key: t.keys.private.key, body: { offerId: offer, purpose: 'planning' } });
    expect(requested.body.state, JSON.stringify(requested.body)).toBe('awaiting_signature');
    return (await t.call('POST', `/v1/licences/${requested.body.id}/sign`, { key: t.keys.private.key })).body;
  };

  beforeAll(async () => {
    // Every event twice, as EventBridge may: one publication must still fulfil one period only.
    t = await startTestRuntime({ duplicateBusDeliveries: true });
    await t.call('PUT', '/v1/policy', {
      key: t.keys.officer.key,
      body: { rules: [{ id: 'mobility-share-back', when: { theme: 'mobility', licenseeKinds: ['private'] }, require: [{ kind: 'share-back', params: { theme: 'mobility', every: 'P1M', graceDays: 5 } }] }] },
    });
    const datasetId = await mobilityDataset(t.keys.dsp.key, 'Fréquentation des lignes');
    await publish(t.keys.dsp.key, datasetId);
    const offer = await t.call('POST', '/v1/offers', { key: t.keys.dsp.key, body: { datasetId, template: 'territorial-restricted', clauses: [{ kind: 'purpose', params: { allowed: ['planning'] } }], audience: ['private'] } });
    expect(offer.status, JSON.stringify(offer.body)).toBe(201);
    offerId = offer.body.id;
  });
  afterAll(() => t.stop());

  it('suspends a licence whose share-back is overdue, and reactivates it when the licensee shares', async () => {
    const licence = await signedLicence(offerId);
    const duties = (await t.call('GET', `/v1/licences/${licence.id}/duties`, { key: t.keys.dsp.key })).body.items;
    expect(duties.map((d: { dutyId: string; status: string }) => `${d.dutyId}:${d.status}`).sort()).toEqual(['delete-on-expiry:open', 'share-back-0:open']);
    expect((await t.call('POST', `/v1/licences/${licence.id}/duties/share-back-0/attest`, { key: t.keys.private.key, body: { statement: 'done' } })).body.error.code).toBe('not_attestable');
    expect((await t.call('POST', `/v1/licences/${licence.id}/duties/delete-on-expiry/attest`, { key: t.keys.private.key, body: { statement: 'deleted in advance' } })).body.error.code).toBe('too_early');

    const checks = await t.runtime.runSchedule(new Date(Date.now() + 40 * DAY));
    await t.runtime.settle();

    expect(checks.overdueDuties).toBe(1);
    expect((await t.call('GET', `/v1/licences/${licence.id}`, { key: t.keys.private.key })).body.state).toBe('suspended');
    const denied = await t.call('POST', `/v1/licences/${licence.id}/access`, { key: t.keys.private.key, body: { purpose: 'planning' } });
    expect(denied.status).toBe(403);
    expect(denied.body.reasons[0].message).toContain('suspended');

    const shared = await mobilityDataset(t.keys.private.key, 'Trajets agrégés de nos utilisateurs');
    await publish(t.keys.private.key, shared);

    const after = await t.call('GET', `/v1/licences/${licence.id}`, { key: t.keys.officer.key });
    expect(after.body.state).toBe('active');
    expect(after.body.history.map((h: { state: string }) => h.state)).toEqual(['awaiting_signature', 'active', 'suspended', 'active']);
    const fulfilled = (await t.call('GET', `/v1/licences/${licence.id}/duties`, { key: t.keys.private.key })).body.items;
    expect(fulfilled.find((d: { dutyId: string }) => d.dutyId === 'share-back-0')).toMatchObject({ status: 'fulfilled', evidence: { datasetId: shared, version: 1 } });
    expect(fulfilled.find((d: { dutyId: string }) => d.dutyId === 'share-back-1')).toMatchObject({ status: 'open' });
    expect((await t.call('POST', `/v1/licences/${licence.id}/access`, { key: t.keys.private.key, body: { purpose: 'planning' } })).status).toBe(200);
    const audit = await t.call('GET', `/v1/audit?subject=${licence.id}`, { key: t.keys.private.key });
    expect(audit.body.items.map((e: { body: { action: string } }) => e.body.action)).toEqual(
      expect.arrayContaining(['licence.duty.overdue', 'licence.suspended', 'licence.duty.fulfilled', 'licence.reactivated']),
    );
  });

  it('lets either party terminate a licence, with a reason', async () => {
    const licence = await signedLicence(offerId);
    expect((await t.call('POST', `/v1/licences/${licence.id}/terminate`, { key: t.keys.public.key, body: { reason: 'not mine' } })).status).toBe(404);
    const ended = await t.call('POST', `/v1/licences/${licence.id}/terminate`, { key: t.keys.private.key, body: { reason: 'projet arrêté' } });
    expect(ended.body).toMatchObject({ state: 'terminated', history: expect.arrayContaining([expect.objectContaining({ state: 'terminated', reason: 'projet arrêté' })]) });
    expect((await t.call('POST', `/v1/licences/${licence.id}/access`, { key: t.keys.private.key, body: { purpose: 'planning' } })).status).toBe(403);
  });

  it('runs the deletion duty from an early end: too early before, attestable once terminated or revoked, due 30 days after the actual end', async () => {
    // Arrange
    const terminated = await signedLicence(offerId);
    const revoked = await signedLicence(offerId);
    const deletion = async (id: string) => ((await t.call('GET', `/v1/licences/${id}/duties`, { key: t.keys.private.key })).body.items as { dutyId: string; dueAt: string }[]).find((d) => d.dutyId === 'delete-on-expiry')!;
    const attest = (id: string) => t.call('POST', `/v1/licences/${id}/duties/delete-on-expiry/attest`, { key: t.keys.private.key, body: { statement: 'Toutes les copies ont été supprimées.' } });
    expect((await deletion(terminated.id)).dueAt).toBe(addDuration(terminated.document.validity.until, 'P30D'));
    expect((await attest(terminated.id)).body.error.code).toBe('too_early');

    // Act
    const termination = await t.call('POST', `/v1/licences/${terminated.id}/terminate`, { key: t.keys.private.key, body: { reason: 'projet arrêté' } });
    const revocation = await t.call('POST', `/v1/licences/${revoked.id}/revoke`, { key: t.keys.dsp.key, body: { reason: 'fin du partenariat' } });

    // Assert
    for (const licence of [termination.body, revocation.body]) {
      const endedAt = licence.history.at(-1).at as string;
      expect((await deletion(licence.id)).dueAt).toBe(addDuration(endedAt, 'P30D'));
      expect((await attest(licence.id)).body).toMatchObject({ status: 'fulfilled', evidence: { statement: expect.stringContaining('supprimées') } });
    }
  });

  it('expires a licence at the end of its validity; access is denied after expiry', async () => {
    const licence = await signedLicence(offerId);
    expect(licence.document.validity.until).toBeDefined();

    const checks = await t.runtime.runSchedule(new Date(Date.parse(licence.document.validity.until) + DAY));
    await t.runtime.settle();

    expect(checks.expired).toBeGreaterThanOrEqual(1);
    // The licence ran its course: the deletion stays due 30 days after the planned expiry.
    const duties = (await t.call('GET', `/v1/licences/${licence.id}/duties`, { key: t.keys.private.key })).body.items;
    expect(duties.find((d: { dutyId: string }) => d.dutyId === 'delete-on-expiry').dueAt).toBe(addDuration(licence.document.validity.until, 'P30D'));
    expect((await t.call('GET', `/v1/licences/${licence.id}`, { key: t.keys.private.key })).body.state).toBe('expired');
    const denied = await t.call('POST', `/v1/licences/${licence.id}/access`, { key: t.keys.private.key, body: { purpose: 'planning' } });
    expect(denied.status).toBe(403);
    expect(denied.body.reasons).toEqual([{ clause: 'validity', message: 'the licence is expired' }]);
    const attested = await t.call('POST', `/v1/licences/${licence.id}/duties/delete-on-expiry/attest`, { key: t.keys.private.key, body: { statement: 'Toutes les copies ont été supprimées le 12/01.' } });
    expect(attested.body).toMatchObject({ status: 'fulfilled', evidence: { statement: expect.stringContaining('supprimées') } });
    expect((await t.call('POST', `/v1/licences/${licence.id}/duties/delete-on-expiry/attest`, { key: t.keys.private.key, body: { statement: 'again' } })).status).toBe(409);
  });
});
