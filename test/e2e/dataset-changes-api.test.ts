import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

const SCHEMA = {
  fields: [
    { name: 'nom', type: 'string', personal: true },
    { name: 'commune', type: 'string' },
    { name: 'm3', type: 'number' },
  ],
};
const UNFLAGGED = { fields: SCHEMA.fields.map(({ personal: _flag, ...f }) => f) };
const CSV = 'nom,commune,m3\nDupont,Evry,3\nMartin,Corbeil,5\n';

describe('privacy downgrades of datasets wait for an officer', () => {
  let t: TestRuntime;

  beforeAll(async () => {
    t = await startTestRuntime();
  });
  afterAll(() => t.stop());

  const keyIdOf = async (key: string) => (await t.call('GET', '/v1/me', { key })).body.principal.keyId as string;
  const actions = async (datasetId: string) =>
    (await t.call('GET', `/v1/audit?subject=${datasetId}`, { key: t.keys.officer.key })).body.items.map((e: { body: { action: string; actor: { keyId?: string }; data: Record<string, unknown> } }) => e.body);

  const createDataset = async (key: string, overrides: Record<string, unknown> = {}) => {
    const res = await t.call('POST', '/v1/datasets', {
      key,
      body: { title: 'Consommations par abonné', description: 'Relevés individuels', theme: 'water', classification: 'restricted', format: 'csv', schema: SCHEMA, ...overrides },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };

  const deliver = async (key: string, datasetId: string, csv: string) => {
    const started = await t.call('POST', `/v1/datasets/${datasetId}/versions`, { key, body: { bytes: Buffer.byteLength(csv) } });
    await fetch(started.body.upload.url, { method: 'PUT', body: csv });
    await t.call('POST', `/v1/datasets/${datasetId}/versions/${started.body.version.version}/complete`, { key, body: {} });
    await t.runtime.settle();
  };

  /** The firm's licence on a dataset: requested, approved by an officer, signed. */
  const licenceFor = async (datasetId: string) => {
    const offer = await t.call('POST', '/v1/offers', { key: t.keys.dsp.key, body: { datasetId, template: 'territorial-restricted', audience: ['private'] } });
    expect(offer.status, JSON.stringify(offer.body)).toBe(201);
    const requested = await t.call('POST', '/v1/licences', { key: t.keys.private.key, body: { offerId: offer.body.id, purpose: 'etude' } });
    if (requested.body.state === 'pending_approval') await t.call('POST', `/v1/licences/${requested.body.id}/approve`, { key: t.keys.officer.key, body: {} });
    expect((await t.call('POST', `/v1/licences/${requested.body.id}/sign`, { key: t.keys.private.key })).body.state).toBe('active');
    return requested.body.id as string;
  };

  /** The rows the licensee downloads through its licence (waiting for the enforced variant when needed). */
  const licenseeRows = async (licenceId: string) => {
    let access = await t.call('POST', `/v1/licences/${licenceId}/access`, { key: t.keys.private.key, body: { purpose: 'etude' } });
    if (access.status === 202) {
      await t.runtime.settle();
      access = await t.call('GET', `/v1/access/${access.body.accessId}`, { key: t.keys.private.key });
    }
    expect(access.status, JSON.stringify(access.body)).toBe(200);
    return (await (await fetch(access.body.url)).text()).trim().split('\n').slice(1).map((l) => l.split(','));
  };

  it('holds a PATCH that drops personal flags and opens the dataset until an officer approves it, then opens it', async () => {
    const id = await createDataset(t.keys.dsp.key);
    await deliver(t.keys.dsp.key, id, CSV);
    const licenceId = await licenceFor(id);
    expect((await licenseeRows(licenceId)).map((r) => r[0])).toEqual([expect.stringMatching(/^[0-9a-f]{32}$/), expect.stringMatching(/^[0-9a-f]{32}$/)]);

    // Act: the publisher drops the flag and opens the dataset in one edit, with a harmless title change.
    const patched = await t.call('PATCH', `/v1/datasets/${id}`, { key: t.keys.dsp.key, body: { title: 'Consommations', classification: 'open', schema: UNFLAGGED } });

    // Assert: a change request, and nothing changed.
    expect(patched.status, JSON.stringify(patched.body)).toBe(202);
    expect(patched.body).toMatchObject({
      datasetId: id,
      state: 'pending',
      patch: { title: 'Consommations', classification: 'open' },
      requestedBy: { partnerId: t.keys.dsp.partnerId, keyId: await keyIdOf(t.keys.dsp.key) },
    });
    expect(patched.body.downgrades.map((d: { kind: string }) => d.kind)).toEqual(['personal_flag_removed', 'classification_opened', 'restriction_lifted']);
    expect(patched.body.downgrades[0]).toMatchObject({ field: 'nom', description: expect.stringContaining('nom') });
    const changeId = patched.body.id as string;
    const unchanged = (await t.call('GET', `/v1/datasets/${id}`, { key: t.keys.dsp.key })).body;
    expect(unchanged).toMatchObject({ title: 'Consommations par abonné', classification: 'restricted', schema: SCHEMA });
    expect((await t.call('GET', `/open/datasets/${id}`)).status).toBe(404);
    expect((await fetch(`${t.runtime.url}/open/datasets/${id}/download`, { redirect: 'manual' })).status).toBe(404);
    const stillPseudonymised = await licenseeRows(licenceId);
    expect(stillPseudonymised.map((r) => r[0])).toEqual([expect.stringMatching(/^[0-9a-f]{32}$/), expect.stringMatching(/^[0-9a-f]{32}$/)]);
    expect(stillPseudonymised.flat()).not.toContain('Dupont');

    // The officers' inbox lists it; the publisher sees its own; another partner sees nothing.
    const inbox = await t.call('GET', '/v1/dataset-changes?state=pending', { key: t.keys.officer.key });
    expect(inbox.body.items.map((c: { id: string }) => c.id)).toContain(changeId);
    expect((await t.call('GET', '/v1/dataset-changes?state=pending', { key: t.keys.dsp.key })).body.items.map((c: { id: string }) => c.id)).toEqual([changeId]);
    expect((await t.call('GET', '/v1/dataset-changes', { key: t.keys.public.key })).body.items).toEqual([]);
    expect((await t.call('GET', `/v1/dataset-changes/${changeId}`, { key: t.keys.public.key })).status).toBe(404);
    expect((await t.call('GET', `/v1/dataset-changes/${changeId}`, { key: t.keys.dsp.key })).body.state).toBe('pending');

    // Only an officer approves.
    const byPublisher = await t.call('POST', `/v1/dataset-changes/${changeId}/approve`, { key: t.keys.dsp.key, body: {} });
    expect(byPublisher).toMatchObject({ status: 403, body: { error: { code: 'role_not_allowed' } } });
    expect((await t.call('GET', `/v1/datasets/${id}`, { key: t.keys.dsp.key })).body.classification).toBe('restricted');

    const approved = await t.call('POST', `/v1/dataset-changes/${changeId}/approve`, { key: t.keys.officer.key, body: { reason: 'anonymised at source' } });
    await t.runtime.settle();

    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body).toMatchObject({ state: 'approved', decidedBy: { partnerId: t.keys.officer.partnerId, keyId: await keyIdOf(t.keys.officer.key) }, reason: 'anonymised at source' });
    expect((await t.call('GET', `/v1/datasets/${id}`, { key: t.keys.public.key })).body).toMatchObject({ title: 'Consommations', classification: 'open', schema: UNFLAGGED });
    expect((await t.call('GET', `/open/datasets/${id}`)).body.versions).toHaveLength(1);
    const download = await fetch(`${t.runtime.url}/open/datasets/${id}/versions/1/download`, { redirect: 'manual' });
    expect(download.status).toBe(302);
    expect(await (await fetch(download.headers.get('location')!)).text()).toBe(CSV);
    expect((await t.call('POST', `/v1/dataset-changes/${changeId}/approve`, { key: t.keys.officer.key, body: {} })).body.error.code).toBe('change_not_pending');

    const trail = await actions(id);
    const requested = trail.find((e: { action: string }) => e.action === 'dataset.change.requested');
    const decided = trail.find((e: { action: string }) => e.action === 'dataset.change.approved');
    expect(requested).toMatchObject({ actor: { keyId: await keyIdOf(t.keys.dsp.key) }, data: { changeId } });
    expect(decided).toMatchObject({ actor: { type: 'key', keyId: await keyIdOf(t.keys.officer.key), role: 'officer' }, data: { changeId, requestedBy: { partnerId: t.keys.dsp.partnerId } } });
    expect(trail.filter((e: { action: string }) => e.action === 'dataset.updated')).toEqual([expect.objectContaining({ data: expect.objectContaining({ changeId, classification: { from: 'restricted', to: 'open' } }) })]);
  });

  it('needs a second officer key when an officer asked for the downgrade', async () => {
    const officer = t.keys.officer.key;
    const id = await createDataset(officer, { classification: 'shared' });
    const patched = await t.call('PATCH', `/v1/datasets/${id}`, { key: officer, body: { schema: UNFLAGGED } });
    expect(patched.status).toBe(202);

    const sameKey = await t.call('POST', `/v1/dataset-changes/${patched.body.id}/approve`, { key: officer, body: {} });
    expect(sameKey).toMatchObject({ status: 403, body: { error: { code: 'four_eyes' } } });
    expect((await t.call('GET', `/v1/datasets/${id}`, { key: officer })).body.schema).toEqual(SCHEMA);

    const second = await t.call('POST', `/v1/partners/${t.keys.officer.partnerId}/keys`, { key: officer, body: { role: 'officer', label: 'second officer' } });
    expect(second.status).toBe(201);
    const approved = await t.call('POST', `/v1/dataset-changes/${patched.body.id}/approve`, { key: second.body.key, body: {} });

    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body).toMatchObject({ state: 'approved', requestedBy: { keyId: await keyIdOf(officer) }, decidedBy: { keyId: second.body.keyId } });
    expect((await t.call('GET', `/v1/datasets/${id}`, { key: officer })).body.schema).toEqual(UNFLAGGED);
    await t.runtime.settle();
    expect((await actions(id)).find((e: { action: string }) => e.action === 'dataset.change.approved')).toMatchObject({ actor: { keyId: second.body.keyId } });
  });

  it('refuses an approval once the dataset changed since the request, and the request turns stale', async () => {
    const id = await createDataset(t.keys.dsp.key);
    const patched = await t.call('PATCH', `/v1/datasets/${id}`, { key: t.keys.dsp.key, body: { classification: 'shared' } });
    expect(patched.status).toBe(202);
    expect((await t.call('PATCH', `/v1/datasets/${id}`, { key: t.keys.dsp.key, body: { description: 'Relevés individuels, 2026' } })).status).toBe(200);

    const approved = await t.call('POST', `/v1/dataset-changes/${patched.body.id}/approve`, { key: t.keys.officer.key, body: {} });

    expect(approved).toMatchObject({ status: 409, body: { error: { code: 'dataset_changed' } } });
    expect((await t.call('GET', `/v1/datasets/${id}`, { key: t.keys.dsp.key })).body.classification).toBe('restricted');
    expect((await t.call('GET', `/v1/dataset-changes/${patched.body.id}`, { key: t.keys.dsp.key })).body).toMatchObject({ state: 'stale', reason: expect.stringContaining('ask again') });
    expect((await t.call('GET', '/v1/dataset-changes?state=pending', { key: t.keys.officer.key })).body.items.map((c: { id: string }) => c.id)).not.toContain(patched.body.id);
  });

  it.each([
    ['a personal field removed', { schema: { fields: SCHEMA.fields.slice(1) } }, 'personal_field_removed'],
    ['a personal field renamed', { schema: { fields: [{ ...SCHEMA.fields[0], name: 'nom_abonne' }, ...SCHEMA.fields.slice(1)] } }, 'personal_field_removed'],
    ['a personal flag removed', { schema: UNFLAGGED }, 'personal_flag_removed'],
    ['restricted to shared', { classification: 'shared' }, 'restriction_lifted'],
  ])('holds %s for an officer', async (_name, body, kind) => {
    const id = await createDataset(t.keys.dsp.key);
    const patched = await t.call('PATCH', `/v1/datasets/${id}`, { key: t.keys.dsp.key, body });
    expect(patched.status, JSON.stringify(patched.body)).toBe(202);
    expect(patched.body.downgrades.map((d: { kind: string }) => d.kind)).toEqual([kind]);
    expect((await t.call('GET', `/v1/datasets/${id}`, { key: t.keys.dsp.key })).body).toMatchObject({ classification: 'restricted', schema: SCHEMA });
  });

  it('holds shared to open, and applies upgrades and harmless edits at once', async () => {
    const id = await createDataset(t.keys.dsp.key, { classification: 'shared', schema: UNFLAGGED });
    const opened = await t.call('PATCH', `/v1/datasets/${id}`, { key: t.keys.dsp.key, body: { classification: 'open' } });
    expect(opened.status).toBe(202);
    expect(opened.body.downgrades).toEqual([expect.objectContaining({ kind: 'classification_opened', from: 'shared', to: 'open' })]);
    expect((await t.call('GET', `/v1/datasets/${id}`, { key: t.keys.dsp.key })).body.classification).toBe('shared');

    expect((await t.call('PATCH', `/v1/datasets/${id}`, { key: t.keys.dsp.key, body: { keywords: ['eau'] } })).status).toBe(200);
    const flagged = await t.call('PATCH', `/v1/datasets/${id}`, { key: t.keys.dsp.key, body: { schema: SCHEMA, classification: 'restricted' } });
    expect(flagged.status).toBe(200);
    expect(flagged.body).toMatchObject({ classification: 'restricted', schema: SCHEMA });
  });

  it('lets an officer reject with a reason and the publisher withdraw; neither changes the dataset', async () => {
    const id = await createDataset(t.keys.dsp.key);
    const first = await t.call('PATCH', `/v1/datasets/${id}`, { key: t.keys.dsp.key, body: { schema: UNFLAGGED } });
    expect((await t.call('POST', `/v1/dataset-changes/${first.body.id}/reject`, { key: t.keys.officer.key, body: {} })).status).toBe(400);
    expect((await t.call('POST', `/v1/dataset-changes/${first.body.id}/reject`, { key: t.keys.dsp.key, body: { reason: 'self-service' } })).status).toBe(403);

    const rejected = await t.call('POST', `/v1/dataset-changes/${first.body.id}/reject`, { key: t.keys.officer.key, body: { reason: 'names are personal data' } });

    expect(rejected.body).toMatchObject({ state: 'rejected', reason: 'names are personal data', decidedBy: { partnerId: t.keys.officer.partnerId } });
    expect((await t.call('POST', `/v1/dataset-changes/${first.body.id}/approve`, { key: t.keys.officer.key, body: {} })).body.error.code).toBe('change_not_pending');
    const second = await t.call('PATCH', `/v1/datasets/${id}`, { key: t.keys.dsp.key, body: { schema: UNFLAGGED } });
    expect((await t.call('POST', `/v1/dataset-changes/${second.body.id}/withdraw`, { key: t.keys.public.key })).status).toBe(404);
    expect((await t.call('POST', `/v1/dataset-changes/${second.body.id}/withdraw`, { key: t.keys.officer.key })).status).toBe(404);
    expect((await t.call('POST', `/v1/dataset-changes/${second.body.id}/withdraw`, { key: t.keys.dsp.key })).body.state).toBe('withdrawn');
    expect((await t.call('GET', `/v1/datasets/${id}`, { key: t.keys.dsp.key })).body.schema).toEqual(SCHEMA);
    await t.runtime.settle();
    expect((await actions(id)).map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['dataset.change.requested', 'dataset.change.rejected', 'dataset.change.withdrawn']));
    expect((await actions(id)).map((e: { action: string }) => e.action)).not.toContain('dataset.updated');
  });
});
