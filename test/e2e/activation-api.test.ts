import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../functions/adapters/dynamo/client.ts';
import { dynamoEndpoint } from '../support/emulators.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

const CSV = 'line,driver,count\nA,Jeanne,3\nB,Paul,4\n';
const SCHEMA = { fields: [{ name: 'line', type: 'string' }, { name: 'driver', type: 'string' }, { name: 'count', type: 'integer' }] };

/** One door to `active`: the policy in force at activation applies, approvals it requires must be on record, and four eyes hold. */
describe('licence activation and four eyes over HTTP on the local runtime', () => {
  let t: TestRuntime;
  let secondOfficer: { key: string; keyId: string };
  let operatorOffer: string;
  let firmOffer: string;
  let collectivityOffer: string;
  let operatorData: string;

  const dataset = async (key: string, theme: string, title: string) => {
    const ds = await t.call('POST', '/v1/datasets', { key, body: { title, description: 'x', theme, classification: 'shared', format: 'csv', schema: SCHEMA } });
    expect(ds.status, JSON.stringify(ds.body)).toBe(201);
    const started = await t.call('POST', `/v1/datasets/${ds.body.id}/versions`, { key, body: { bytes: CSV.length } });
    await fetch(started.body.upload.url, { method: 'PUT', body: CSV });
    await t.call('POST', `/v1/datasets/${ds.body.id}/versions/1/complete`, { key, body: {} });
    return ds.body.id as string;
  };
  const offer = async (key: string, body: Record<string, unknown>) => {
    const res = await t.call('POST', '/v1/offers', { key, body: { template: 'territorial-restricted', ...body } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };
  const setPolicy = async (rules: unknown[]) => expect((await t.call('PUT', '/v1/policy', { key: t.keys.officer.key, body: { rules } })).status).toBe(200);
  const auditOf = async (subject: string) => (await t.runtime.settle(), (await t.call('GET', `/v1/audit?subject=${subject}`, { key: t.keys.officer.key })).body.items.map((e: { body: unknown }) => e.body));

  beforeAll(async () => {
    t = await startTestRuntime();
    const issued = await t.call('POST', `/v1/partners/${t.keys.officer.partnerId}/keys`, { key: t.keys.officer.key, body: { role: 'officer', label: 'second officer' } });
    expect(issued.status).toBe(201);
    secondOfficer = { key: issued.body.key, keyId: issued.body.keyId };
    operatorData = await dataset(t.keys.dsp.key, 'mobility', 'Fréquentation des lignes');
    const firmData = await dataset(t.keys.private.key, 'mobility', 'Trajets agrégés');
    const collectivityData = await dataset(t.keys.officer.key, 'mobility', 'Comptages vélo');
    await t.runtime.settle();
    operatorOffer = await offer(t.keys.dsp.key, { datasetId: operatorData, audience: ['private', 'public', 'collectivity'] });
    firmOffer = await offer(t.keys.private.key, { datasetId: firmData, audience: ['dsp'] });
    collectivityOffer = await offer(t.keys.officer.key, { datasetId: collectivityData, audience: ['dsp'] });
  });
  afterAll(() => t.stop());

  it('refuses to accept a barter proposed before a rule required approval, until an officer approves it', async () => {
    await setPolicy([]);
    const proposed = await t.call('POST', '/v1/barters', { key: t.keys.private.key, body: { offerId: operatorOffer, give: { offerId: firmOffer }, purpose: 'planning' } });
    expect(proposed.body.state).toBe('proposed');
    await setPolicy([{ id: 'mobilite-approbation', when: { theme: 'mobility', licenseeKinds: ['private'] }, requireApproval: true }]);

    const refused = await t.call('POST', `/v1/barters/${proposed.body.id}/accept`, { key: t.keys.dsp.key, body: { purpose: 'public-service' } });
    expect(refused.status, JSON.stringify(refused.body)).toBe(422);
    expect(refused.body.error.code).toBe('approval_required');
    const waiting = await t.call('GET', `/v1/barters/${proposed.body.id}`, { key: t.keys.officer.key });
    expect(waiting.body).toMatchObject({ state: 'pending_approval', want: { requiresApproval: true, approved: false }, give: { requiresApproval: false } });
    expect((await t.call('GET', '/v1/licences?state=active', { key: t.keys.private.key })).body.items).toEqual([]);

    const approved = await t.call('POST', `/v1/barters/${proposed.body.id}/approve`, { key: secondOfficer.key, body: { side: 'want' } });
    expect(approved.body).toMatchObject({ state: 'proposed', want: { approved: true, approvedBy: secondOfficer.keyId } });
    const accepted = await t.call('POST', `/v1/barters/${proposed.body.id}/accept`, { key: t.keys.dsp.key, body: { purpose: 'public-service' } });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    const want = await t.call('GET', `/v1/licences/${accepted.body.want.licenceId}`, { key: t.keys.private.key });
    expect(want.body).toMatchObject({ state: 'active', requiresApproval: true, policy: { appliedRules: ['mobilite-approbation'] } });
  });

  it('sends a licence awaiting signature back to the inbox when a rule now requires approval, and signs once approved', async () => {
    await setPolicy([]);
    const requested = await t.call('POST', '/v1/licences', { key: t.keys.public.key, body: { offerId: operatorOffer, purpose: 'etude' } });
    expect(requested.body.state).toBe('awaiting_signature');
    await setPolicy([{ id: 'mobilite-publics', when: { theme: 'mobility', licenseeKinds: ['public'] }, requireApproval: true, require: [{ kind: 'attribution', params: { text: 'Source : Eaux du Grand Territoire' } }] }]);

    const refused = await t.call('POST', `/v1/licences/${requested.body.id}/sign`, { key: t.keys.public.key });
    expect(refused.status, JSON.stringify(refused.body)).toBe(422);
    expect(refused.body.error.code).toBe('approval_required');
    const inbox = await t.call('GET', '/v1/licences?state=pending_approval', { key: t.keys.officer.key });
    expect(inbox.body.items.map((l: { id: string }) => l.id)).toContain(requested.body.id);

    expect((await t.call('POST', `/v1/licences/${requested.body.id}/approve`, { key: t.keys.officer.key, body: {} })).status).toBe(200);
    const signed = await t.call('POST', `/v1/licences/${requested.body.id}/sign`, { key: t.keys.public.key });
    expect(signed.status, JSON.stringify(signed.body)).toBe(200);
    // The terms in force at activation are the ones signed.
    expect(signed.body.clauses.map((c: { kind: string }) => c.kind)).toContain('attribution');
    expect(signed.body.document.clauses.map((c: { kind: string }) => c.kind)).toContain('attribution');
    expect(signed.body.approval.by).toBe((await t.call('GET', '/v1/me', { key: t.keys.officer.key })).body.principal.keyId);
  });

  it('never lets the officer key that requested a licence for the collectivity approve it', async () => {
    await setPolicy([{ id: 'collectivite-approbation', when: { licenseeKinds: ['collectivity'] }, requireApproval: true }]);
    const requested = await t.call('POST', '/v1/licences', { key: t.keys.officer.key, body: { offerId: operatorOffer, purpose: 'service-public' } });
    expect(requested.body.state).toBe('pending_approval');

    const self = await t.call('POST', `/v1/licences/${requested.body.id}/approve`, { key: t.keys.officer.key, body: {} });
    expect(self.status).toBe(403);
    expect(self.body.error.code).toBe('four_eyes');
    expect((await t.call('GET', `/v1/licences/${requested.body.id}`, { key: t.keys.officer.key })).body.state).toBe('pending_approval');

    const other = await t.call('POST', `/v1/licences/${requested.body.id}/approve`, { key: secondOfficer.key, body: {} });
    expect(other.status, JSON.stringify(other.body)).toBe(200);
    expect(other.body.approval.by).toBe(secondOfficer.keyId);
    const approvedEvent = (await auditOf(requested.body.id)).find((e: { action: string }) => e.action === 'licence.approved');
    expect(approvedEvent.actor).toMatchObject({ type: 'key', keyId: secondOfficer.keyId });

    // Once active, an officer cannot use its revocation power (and its refund) on its own collectivity's licence.
    expect((await t.call('POST', `/v1/licences/${requested.body.id}/sign`, { key: t.keys.officer.key })).status).toBe(200);
    const revoked = await t.call('POST', `/v1/licences/${requested.body.id}/revoke`, { key: secondOfficer.key, body: { reason: 'annulation' } });
    expect([revoked.status, revoked.body.error?.code]).toEqual([403, 'conflict_of_interest']);
    expect((await t.call('POST', `/v1/licences/${requested.body.id}/terminate`, { key: t.keys.officer.key, body: { reason: 'fin du besoin' } })).body.state).toBe('terminated');
  });

  it('never lets the officer key that proposed a barter for the collectivity approve it', async () => {
    await setPolicy([{ id: 'dsp-approbation', when: { licenseeKinds: ['dsp'] }, requireApproval: true }]);
    const proposed = await t.call('POST', '/v1/barters', { key: t.keys.officer.key, body: { offerId: operatorOffer, give: { offerId: collectivityOffer }, purpose: 'service-public' } });
    expect(proposed.status, JSON.stringify(proposed.body)).toBe(201);
    expect(proposed.body).toMatchObject({ state: 'pending_approval', give: { requiresApproval: true } });

    const self = await t.call('POST', `/v1/barters/${proposed.body.id}/approve`, { key: t.keys.officer.key, body: { side: 'give' } });
    expect(self.status).toBe(403);
    expect(self.body.error.code).toBe('four_eyes');
    const other = await t.call('POST', `/v1/barters/${proposed.body.id}/approve`, { key: secondOfficer.key, body: { side: 'give' } });
    expect(other.body).toMatchObject({ give: { approved: true, approvedBy: secondOfficer.keyId } });
  });

  it('refuses a signature once the offer was withdrawn, and the licence still awaits it', async () => {
    await setPolicy([]);
    const withdrawn = await offer(t.keys.dsp.key, { datasetId: operatorData, audience: ['public'] });
    const requested = await t.call('POST', '/v1/licences', { key: t.keys.public.key, body: { offerId: withdrawn, purpose: 'etude' } });
    expect(requested.body.state).toBe('awaiting_signature');
    expect((await t.call('DELETE', `/v1/offers/${withdrawn}`, { key: t.keys.dsp.key })).status).toBe(204);

    const refused = await t.call('POST', `/v1/licences/${requested.body.id}/sign`, { key: t.keys.public.key });

    expect([refused.status, refused.body.error?.code]).toEqual([422, 'offer_withdrawn']);
    expect((await t.call('GET', `/v1/licences/${requested.body.id}`, { key: t.keys.public.key })).body.state).toBe('awaiting_signature');
  });

  it("signs against the offer's dataset, even for a licence whose own dataset field names another", async () => {
    // Arrange: a licence item naming a dataset that does not exist, as no write of ours leaves one.
    await setPolicy([]);
    const requested = await t.call('POST', '/v1/licences', { key: t.keys.public.key, body: { offerId: operatorOffer, purpose: 'etude' } });
    const db = createDocumentClient({ endpoint: dynamoEndpoint() });
    try {
      await db.send(new UpdateCommand({ TableName: t.tableName, Key: { pk: `LICENCE#${requested.body.id}`, sk: 'LICENCE' }, UpdateExpression: 'SET datasetId = :d', ExpressionAttributeValues: { ':d': 'ds-elsewhere' } }));
    } finally {
      db.destroy();
    }

    // Act
    const signed = await t.call('POST', `/v1/licences/${requested.body.id}/sign`, { key: t.keys.public.key });

    // Assert: the offer's dataset is the one the document names, as before the signature read everything at once.
    expect(signed.status, JSON.stringify(signed.body)).toBe(200);
    expect(signed.body.document.dataset).toMatchObject({ id: operatorData, title: 'Fréquentation des lignes' });
  });
});
