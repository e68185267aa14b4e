import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestOf } from '../../contracts/digest.ts';
import { verifyEnvelope } from '../../contracts/signature.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

const SCHOOL_ZONE = {
  type: 'FeatureCollection',
  features: [{ type: 'Feature', properties: { name: 'École Jules Ferry' }, geometry: { type: 'Polygon', coordinates: [[[2.30, 48.80], [2.31, 48.80], [2.31, 48.81], [2.30, 48.81], [2.30, 48.80]]] } }],
};
const SCHEMA = {
  fields: [
    { name: 'vehicle_id', type: 'string', personal: true },
    { name: 'driver_name', type: 'string' },
    { name: 'lat', type: 'number' },
    { name: 'lon', type: 'number' },
  ],
};

describe('licences over HTTP on the local runtime', () => {
  let t: TestRuntime;
  let datasetId: string;

  beforeAll(async () => {
    t = await startTestRuntime();
    const ds = await t.call('POST', '/v1/datasets', {
      key: t.keys.dsp.key,
      body: { title: 'Traces des navettes', description: 'Positions GPS', theme: 'mobility', classification: 'restricted', format: 'csv', schema: SCHEMA },
    });
    datasetId = ds.body.id;
  });
  afterAll(() => t.stop());

  it('lets officers set a versioned policy and zone layers, and anyone read the catalogues', async () => {
    const policy = await t.call('PUT', '/v1/policy', {
      key: t.keys.officer.key,
      body: {
        rules: [
          {
            id: 'mobility-private',
            when: { theme: 'mobility', licenseeKinds: ['private'] },
            require: [
              { kind: 'share-back', params: { theme: 'mobility', every: 'P1M', graceDays: 5 } },
              { kind: 'pseudonymise-fields', params: { fields: ['vehicle_id'] } },
            ],
          },
          { id: 'no-resale-forbidden', forbid: ['eu-residency'], when: { theme: 'culture' } },
          { id: 'three-years', maxDuration: 'P3Y' },
        ],
      },
    });
    expect(policy.status, JSON.stringify(policy.body)).toBe(200);
    expect(policy.body.version).toBe(1);
    expect((await t.call('PUT', '/v1/policy', { key: t.keys.private.key, body: { rules: [] } })).status).toBe(403);
    const bad = await t.call('PUT', '/v1/policy', { key: t.keys.officer.key, body: { rules: [{ id: 'x', require: [{ kind: 'quota', params: { count: 0, per: 'P1D' } }] }] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toEqual(['rules', '0', 'require', '0', 'params', 'count']);

    expect((await t.call('PUT', '/v1/zones/ecoles', { key: t.keys.officer.key, body: SCHOOL_ZONE })).body).toMatchObject({ name: 'ecoles', features: 1 });
    expect((await t.call('GET', '/v1/zones', { key: t.keys.private.key })).body.items.map((z: { name: string }) => z.name)).toEqual(['ecoles']);
    expect((await t.call('GET', '/v1/clauses', { key: t.keys.private.key })).body.items).toHaveLength(17);
    expect((await t.call('GET', '/v1/licence-templates', { key: t.keys.private.key })).body.items.map((x: { id: string }) => x.id)).toContain('mobility');
  });

  it('refuses offers that name unknown fields or zones, or open licences on restricted data', async () => {
    const offer = (clauses: unknown[], template = 'mobility') => t.call('POST', '/v1/offers', { key: t.keys.dsp.key, body: { datasetId, template, clauses, audience: ['private'] } });
    expect((await offer([{ kind: 'redact-fields', params: { fields: ['nope'] } }])).body.error.code).toBe('unknown_field');
    expect((await offer([{ kind: 'exclusion-zones', params: { zone: 'parcs', position: { lat: 'lat', lon: 'lon' } } }])).body.error.code).toBe('unknown_zone');
    expect((await offer([], 'etalab-2.0')).body.error.code).toBe('open_template_needs_open_data');
    expect((await offer([{ kind: 'teleport', params: {} }])).status).toBe(400);
    expect((await t.call('POST', '/v1/offers', { key: t.keys.private.key, body: { datasetId, template: 'mobility', audience: ['private'] } })).status).toBe(403);
  });

  it('takes a licence from request to approval to a signed, verifiable document', async () => {
    const offer = await t.call('POST', '/v1/offers', {
      key: t.keys.dsp.key,
      body: {
        datasetId,
        template: 'mobility',
        clauses: [
          { kind: 'purpose', params: { allowed: ['navigation', 'research'] } },
          { kind: 'redact-fields', params: { fields: ['driver_name'] } },
          { kind: 'exclusion-zones', params: { zone: 'ecoles', position: { lat: 'lat', lon: 'lon' } } },
          { kind: 'quota', params: { count: 3, per: 'P1D' } },
        ],
        audience: ['private', 'public'],
      },
    });
    expect(offer.status, JSON.stringify(offer.body)).toBe(201);
    expect(offer.body.digest).toBe(digestOf({ ...offer.body, offerId: offer.body.id, id: undefined, state: undefined, digest: undefined, signature: undefined }));

    expect((await t.call('POST', '/v1/licences', { key: t.keys.dsp.key, body: { offerId: offer.body.id, purpose: 'navigation' } })).body.error.code).toBe('own_offer');
    expect((await t.call('POST', '/v1/licences', { key: t.keys.private.key, body: { offerId: offer.body.id, purpose: 'advertising' } })).body.error.code).toBe('purpose_not_allowed');

    const requested = await t.call('POST', '/v1/licences', { key: t.keys.private.key, body: { offerId: offer.body.id, purpose: 'navigation' } });
    expect(requested.status, JSON.stringify(requested.body)).toBe(201);
    const id = requested.body.id;
    expect(requested.body).toMatchObject({ state: 'pending_approval', requiresApproval: true, policy: { version: 1, appliedRules: ['mobility-private', 'three-years'], current: true } });
    expect(requested.body.clauses.map((c: { kind: string }) => c.kind)).toEqual(['purpose', 'validity', 'quota', 'exclusion-zones', 'redact-fields', 'pseudonymise-fields', 'share-back', 'attribution', 'no-reidentification']);
    expect(requested.body.pseudonymKey).toBeUndefined();
    // The licence is for the purpose declared, not every purpose the offer allowed.
    expect(requested.body.clauses[0]).toEqual({ kind: 'purpose', params: { allowed: ['navigation'] } });

    const inbox = await t.call('GET', '/v1/licences?state=pending_approval', { key: t.keys.officer.key });
    expect(inbox.body.items.map((l: { id: string }) => l.id)).toContain(id);
    expect((await t.call('POST', `/v1/licences/${id}/sign`, { key: t.keys.private.key })).body.error.code).toBe('not_awaiting_signature');
    expect((await t.call('POST', `/v1/licences/${id}/approve`, { key: t.keys.private.key, body: {} })).status).toBe(403);
    expect((await t.call('POST', `/v1/licences/${id}/approve`, { key: t.keys.officer.key, body: { reason: 'usage conforme' } })).body.state).toBe('awaiting_signature');
    expect((await t.call('POST', `/v1/licences/${id}/sign`, { key: t.keys.dsp.key })).status).toBe(403);

    const signed = await t.call('POST', `/v1/licences/${id}/sign`, { key: t.keys.private.key });

    expect(signed.status, JSON.stringify(signed.body)).toBe(200);
    const licence = signed.body;
    expect(licence.state).toBe('active');
    expect(licence.digest).toBe(digestOf(licence.document));
    expect(licence.document).toMatchObject({ offer: { id: offer.body.id, digest: offer.body.digest }, purpose: 'navigation', policy: { version: 1 } });
    expect(licence.document.legalText.fr).toContain('Trajets Malins SAS');
    expect(verifyEnvelope(licence.digest, licence.signatures.countersignature)).toBe(true);
    const { acceptedBy, ...acceptance } = licence.signatures.acceptance;
    expect(acceptedBy).toMatchObject({ partnerId: t.keys.private.partnerId });
    expect(verifyEnvelope(digestOf({ licence: licence.digest, acceptedBy }), acceptance)).toBe(true);
    expect(licence.history.map((h: { state: string }) => h.state)).toEqual(['pending_approval', 'awaiting_signature', 'active']);
    expect((await t.call('GET', `/v1/licences/${id}`, { key: t.keys.public.key })).status).toBe(404);
    expect((await t.call('GET', '/v1/licences', { key: t.keys.dsp.key })).body.items.map((l: { id: string }) => l.id)).toContain(id);

    const tampered = { ...licence.document, purpose: 'advertising' };
    expect(verifyEnvelope(createHash('sha256').update(JSON.stringify(tampered)).digest('hex'), licence.signatures.countersignature)).toBe(false);
  });

  it('refuses an offer that contradicts the policy, naming the rule', async () => {
    const culture = await t.call('POST', '/v1/datasets', {
      key: t.keys.public.key,
      body: { title: 'Fréquentation des musées', description: 'x', theme: 'culture', classification: 'shared', format: 'csv', schema: { fields: [{ name: 'musee', type: 'string' }] } },
    });
    const refused = await t.call('POST', '/v1/offers', {
      key: t.keys.public.key,
      body: { datasetId: culture.body.id, template: 'territorial-restricted', clauses: [{ kind: 'eu-residency', params: {} }], audience: ['private'] },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'policy_violation', details: [{ rule: 'no-resale-forbidden' }] });
  });

  it('lets the licensor withdraw an offer: no new licences', async () => {
    const offer = await t.call('POST', '/v1/offers', { key: t.keys.dsp.key, body: { datasetId, template: 'dsp-data', audience: ['public'] } });
    expect((await t.call('DELETE', `/v1/offers/${offer.body.id}`, { key: t.keys.private.key })).status).toBe(403);
    expect((await t.call('DELETE', `/v1/offers/${offer.body.id}`, { key: t.keys.dsp.key })).status).toBe(204);
    expect((await t.call('POST', '/v1/licences', { key: t.keys.public.key, body: { offerId: offer.body.id, purpose: 'public-service' } })).body.error.code).toBe('offer_withdrawn');
  });
});
