import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

// Three licences on one dataset with a personal field: two licensees on one offer, and the first
// licensee again on a second offer. Each licence must see its own, unlinkable pseudonyms.
const CSV = ['vehicle_id,trips', 'BUS-001,4', 'BUS-002,7', 'BUS-001,2', 'TRAM-17,9', 'BUS-003,1', 'TRAM-17,3'].join('\n') + '\n';
const IDS = ['BUS-001', 'BUS-002', 'BUS-001', 'TRAM-17', 'BUS-003', 'TRAM-17'];

describe('pseudonyms per licence over HTTP on the local runtime', () => {
  let t: TestRuntime;
  const licences: Record<'firmOnAuto' | 'agencyOnAuto' | 'firmOnOfficer', { id: string; key: string; requested: { state: string; requiresApproval: boolean } }> = {} as never;

  const column = async (url: string) => (await (await fetch(url)).text()).split(/\r?\n/).filter(Boolean).slice(1).map((l) => l.split(',')[0]!);
  /** Asks for access and collects the enforced variant once built, as a client honouring retryAfter would. */
  const download = async (licenceId: string, key: string) => {
    const first = await t.call('POST', `/v1/licences/${licenceId}/access`, { key, body: { purpose: 'research' } });
    expect(first.status === 200 || first.status === 202, JSON.stringify(first.body)).toBe(true);
    let ready = first;
    if (first.status === 202) {
      await t.runtime.settle();
      ready = await t.call('GET', `/v1/access/${first.body.accessId}`, { key });
    }
    expect(ready.status).toBe(200);
    expect(ready.body.transforms).toContainEqual({ kind: 'pseudonymise-fields', params: { fields: ['vehicle_id'] } });
    return column(ready.body.url);
  };

  beforeAll(async () => {
    t = await startTestRuntime();
    const { officer, dsp, private: firm, public: agency } = t.keys;
    // Public agencies wait for an officer under the policy; the firm does on one offer only.
    await t.call('PUT', '/v1/policy', { key: officer.key, body: { rules: [{ id: 'agencies-approved', when: { licenseeKinds: ['public'] }, requireApproval: true }] } });
    const ds = await t.call('POST', '/v1/datasets', {
      key: dsp.key,
      body: {
        title: 'Courses par véhicule', description: 'Nombre de courses par véhicule', theme: 'mobility', classification: 'shared', format: 'csv',
        schema: { fields: [{ name: 'vehicle_id', type: 'string', personal: true }, { name: 'trips', type: 'integer' }] },
      },
    });
    const started = await t.call('POST', `/v1/datasets/${ds.body.id}/versions`, { key: dsp.key, body: { bytes: Buffer.byteLength(CSV) } });
    await fetch(started.body.upload.url, { method: 'PUT', body: CSV });
    await t.call('POST', `/v1/datasets/${ds.body.id}/versions/1/complete`, { key: dsp.key, body: {} });
    await t.runtime.settle();
    const offer = async (approval: 'auto' | 'officer', audience: string[]) =>
      (await t.call('POST', '/v1/offers', { key: dsp.key, body: { datasetId: ds.body.id, template: 'territorial-restricted', approval, audience, clauses: [{ kind: 'purpose', params: { allowed: ['research'] } }] } })).body.id;
    const [auto, byOfficer] = [await offer('auto', ['private', 'public']), await offer('officer', ['private'])];
    for (const [name, offerId, key] of [['firmOnAuto', auto, firm.key], ['agencyOnAuto', auto, agency.key], ['firmOnOfficer', byOfficer, firm.key]] as const) {
      const requested = await t.call('POST', '/v1/licences', { key, body: { offerId, purpose: 'research' } });
      expect(requested.status, JSON.stringify(requested.body)).toBe(201);
      licences[name] = { id: requested.body.id, key, requested: { state: requested.body.state, requiresApproval: requested.body.requiresApproval } };
      if (requested.body.state === 'pending_approval') await t.call('POST', `/v1/licences/${requested.body.id}/approve`, { key: officer.key, body: {} });
      expect((await t.call('POST', `/v1/licences/${requested.body.id}/sign`, { key })).body.state).toBe('active');
    }
  });
  afterAll(() => t.stop());

  it('waits for an officer when the offer or a matching rule asks it, and only then', () => {
    expect(licences.firmOnAuto.requested).toEqual({ state: 'awaiting_signature', requiresApproval: false });
    expect(licences.agencyOnAuto.requested).toEqual({ state: 'pending_approval', requiresApproval: true });
    expect(licences.firmOnOfficer.requested).toEqual({ state: 'pending_approval', requiresApproval: true });
  });

  it('gives each licence its own pseudonyms: stable within the licence, shared with no other licence', async () => {
    const firstAccess = await download(licences.firmOnAuto.id, licences.firmOnAuto.key);
    const otherLicensee = await download(licences.agencyOnAuto.id, licences.agencyOnAuto.key);
    const sameLicenseeOtherLicence = await download(licences.firmOnOfficer.id, licences.firmOnOfficer.key);

    for (const col of [firstAccess, otherLicensee, sameLicenseeOtherLicence]) {
      expect(col).toHaveLength(IDS.length);
      col.forEach((p) => expect(p).toMatch(/^[0-9a-f]{32}$/));
      // Within one licence, a value keeps one pseudonym and distinct values stay distinct.
      IDS.forEach((id, i) => IDS.forEach((other, j) => expect(col[i] === col[j]).toBe(id === other)));
    }
    expect(firstAccess.filter((p) => otherLicensee.includes(p))).toEqual([]);
    expect(firstAccess.filter((p) => sameLicenseeOtherLicence.includes(p))).toEqual([]);
    expect(otherLicensee.filter((p) => sameLicenseeOtherLicence.includes(p))).toEqual([]);

    // A later access under the same licence links to the earlier one.
    expect(await download(licences.firmOnAuto.id, licences.firmOnAuto.key)).toEqual(firstAccess);
  });
});
