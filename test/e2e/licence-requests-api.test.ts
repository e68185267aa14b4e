import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

const SCHEMA = { fields: [{ name: 'line', type: 'string' }, { name: 'passengers', type: 'integer' }] };

describe('licence requests: caps, the licensor’s decline and lists by state, over HTTP', () => {
  let t: TestRuntime;
  let datasetId: string;

  const offer = async (key: string, dataset: string, approval: 'auto' | 'officer' = 'auto', audience = ['private', 'public']) => {
    const res = await t.call('POST', '/v1/offers', { key, body: { datasetId: dataset, template: 'territorial-restricted', approval, audience } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };
  const request = (key: string, offerId: string, purpose = 'planning') => t.call('POST', '/v1/licences', { key, body: { offerId, purpose } });
  const requested = async (key: string, offerId: string, purpose = 'planning') => {
    const res = await request(key, offerId, purpose);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };
  const decline = (key: string, id: string, body: unknown = { reason: 'hors du périmètre de diffusion' }) => t.call('POST', `/v1/licences/${id}/decline`, { key, body });
  const ids = (res: { body: { items: { id: string }[] } }) => res.body.items.map((l) => l.id);
  const partner = async (name: string, kind: 'dsp' | 'private') => {
    const res = await t.call('POST', '/v1/partners', { key: t.keys.officer.key, body: { name, kind, contactEmail: `${kind}@${name.toLowerCase().replace(/\W/g, '')}.example` } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.adminKey.key as string;
  };

  beforeAll(async () => {
    t = await startTestRuntime();
    const ds = await t.call('POST', '/v1/datasets', { key: t.keys.dsp.key, body: { title: 'Fréquentation des lignes', description: 'Comptages', theme: 'mobility', classification: 'shared', format: 'csv', schema: SCHEMA } });
    datasetId = ds.body.id;
  });
  afterAll(() => t.stop());

  it('lets one partner hold at most 3 pending requests on an offer, even when 20 arrive at once; a decline or a signature frees a slot', async () => {
    // Arrange
    const { dsp, private: firm } = t.keys;
    const offerId = await offer(dsp.key, datasetId);

    // Act: 20 requests at once
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => request(firm.key, offerId)));

    // Assert: exactly the cap gets through; every other one is told why
    const created = outcomes.filter((o) => o.status === 201).map((o) => o.body.id as string);
    const refused = outcomes.filter((o) => o.status !== 201);
    expect(created).toHaveLength(3);
    expect(refused.map((o) => `${o.status} ${o.body.error.code}`)).toEqual(Array(17).fill('422 too_many_pending_requests'));
    expect(refused[0]!.body.error.message).toMatch(/at most 3 .* per offer/);
    expect(refused[0]!.body.error.details).toEqual([{ scope: 'offer', cap: 3, offerId }]);

    // A decline by the licensor frees one slot, and only one
    expect((await decline(dsp.key, created[0]!)).body.state).toBe('declined');
    await requested(firm.key, offerId);
    expect((await request(firm.key, offerId)).status).toBe(422);

    // So does a signature
    expect((await t.call('POST', `/v1/licences/${created[1]}/sign`, { key: firm.key })).body.state).toBe('active');
    await requested(firm.key, offerId);
    expect((await request(firm.key, offerId)).body.error.code).toBe('too_many_pending_requests');
  });

  it('keeps the slot through an approval, and frees it on a rejection, a decline of a request awaiting approval, or a revocation', async () => {
    // Arrange: three requests waiting for an officer
    const { dsp, officer, public: agency } = t.keys;
    const offerId = await offer(dsp.key, datasetId, 'officer');
    const [a, b, c] = [await requested(agency.key, offerId), await requested(agency.key, offerId), await requested(agency.key, offerId)];
    expect((await request(agency.key, offerId)).status).toBe(422);

    // Act + Assert: approved, the request still waits (for its signature) and holds its slot
    expect((await t.call('POST', `/v1/licences/${a}/approve`, { key: officer.key, body: {} })).body.state).toBe('awaiting_signature');
    expect((await request(agency.key, offerId)).status).toBe(422);

    expect((await t.call('POST', `/v1/licences/${b}/reject`, { key: officer.key, body: { reason: 'finalité imprécise' } })).body.state).toBe('rejected');
    const d = await requested(agency.key, offerId);
    expect((await request(agency.key, offerId)).status).toBe(422);

    expect((await decline(dsp.key, c)).body.state).toBe('declined');
    await requested(agency.key, offerId);
    expect((await request(agency.key, offerId)).status).toBe(422);

    expect((await t.call('POST', `/v1/licences/${d}/revoke`, { key: dsp.key, body: { reason: 'jeu retiré' } })).body.state).toBe('revoked');
    await requested(agency.key, offerId);
    expect((await request(agency.key, offerId)).status).toBe(422);
  });

  it('caps the pending requests of a partner at 50 over all offers, naming the total', async () => {
    // Arrange: a firm of its own, with 50 requests spread 3 per offer over 17 offers
    const firm = await partner('Relevés Express', 'private');
    const offers = await Promise.all(Array.from({ length: 17 }, () => offer(t.keys.dsp.key, datasetId)));
    const pending: string[] = [];
    for (let i = 0; i < 50; i++) pending.push(await requested(firm, offers[Math.floor(i / 3)]!));

    // Act
    const fiftyFirst = await request(firm, offers[16]!);

    // Assert
    expect(fiftyFirst.status).toBe(422);
    expect(fiftyFirst.body.error).toMatchObject({ code: 'too_many_pending_requests', details: [{ scope: 'total', cap: 50 }] });
    expect(fiftyFirst.body.error.message).toMatch(/at most 50 .* in total/);
    expect((await decline(t.keys.dsp.key, pending[0]!)).status).toBe(200);
    await requested(firm, offers[16]!);
    expect((await request(firm, offers[0]!)).body.error.details[0].scope).toBe('total');
  }, 180_000);

  it('lets only the licensor decline, with a reason: 403 for the licensee and officers, 404 for anyone else; the decline is audited', async () => {
    // Arrange: a firm whose only licence on the dataset is this request
    const { dsp, officer, public: agency } = t.keys;
    const firm = { key: await partner('Curieux & Fils', 'private') };
    const id = await requested(firm.key, await offer(dsp.key, datasetId));
    expect((await t.call('GET', `/v1/datasets/${datasetId}/versions`, { key: firm.key })).status).toBe(200);

    // Act + Assert: who may not
    expect((await decline(firm.key, id)).body.error).toMatchObject({ code: 'licensor_only' });
    expect((await decline(firm.key, id)).status).toBe(403);
    expect((await decline(officer.key, id)).status).toBe(403);
    expect((await decline(agency.key, id)).status).toBe(404);
    expect((await decline(dsp.key, id, {})).status).toBe(400);
    expect((await t.call('GET', `/v1/licences/${id}`, { key: firm.key })).body.state).toBe('awaiting_signature');

    // The licensor may
    const declined = await decline(dsp.key, id);
    expect(declined.status, JSON.stringify(declined.body)).toBe(200);
    expect(declined.body.history.at(-1)).toMatchObject({ state: 'declined', reason: 'hors du périmètre de diffusion' });
    expect((await decline(dsp.key, id)).body.error.code).toBe('licence_state');
    expect((await t.call('POST', `/v1/licences/${id}/sign`, { key: firm.key })).body.error.code).toBe('not_awaiting_signature');
    expect(ids(await t.call('GET', '/v1/licences?state=declined', { key: firm.key }))).toContain(id);
    expect(ids(await t.call('GET', '/v1/licences?state=awaiting_signature&limit=100', { key: firm.key }))).not.toContain(id);
    // A declined request never made its requester a licensee of the dataset
    expect((await t.call('GET', `/v1/datasets/${datasetId}/versions`, { key: firm.key })).status).toBe(403);
    await t.runtime.settle();
    const audit = await t.call('GET', `/v1/audit?subject=${id}`, { key: firm.key });
    const event = audit.body.items.find((e: { body: { action: string } }) => e.body.action === 'licence.declined');
    expect(event?.body.data).toMatchObject({ from: 'awaiting_signature', to: 'declined', reason: 'hors du périmètre de diffusion' });
  });

  it('lists a party’s licences of one state in the query: 2 active among 60 pending come on the first page, with no cursor', async () => {
    // Arrange: a licensor of its own; two firms file 60 requests on its offers, then a third signs two licences
    const licensor = await partner('Régie des parkings', 'dsp');
    const dataset = (await t.call('POST', '/v1/datasets', { key: licensor, body: { title: 'Occupation', description: 'x', theme: 'mobility', classification: 'shared', format: 'csv', schema: SCHEMA } })).body.id as string;
    const offers = await Promise.all(Array.from({ length: 10 }, () => offer(licensor, dataset)));
    const firms = await Promise.all([partner('Flotte Une', 'private'), partner('Flotte Deux', 'private')]);
    // Each firm files its requests one at a time (they share its pending counters); the two firms at once.
    const filed = await Promise.all(firms.map(async (firm) => {
      const mine: string[] = [];
      for (const offerId of offers) for (let k = 0; k < 3; k++) mine.push(await requested(firm, offerId));
      return mine;
    }));
    // The list runs in id order, and ids grow with time.
    const pending = filed.flat().sort();
    const signer = t.keys.private.key;
    const activeOffer = await offer(licensor, dataset);
    const active = [await requested(signer, activeOffer, 'planning'), await requested(signer, activeOffer, 'research')];
    for (const id of active) expect((await t.call('POST', `/v1/licences/${id}/sign`, { key: signer })).body.state).toBe('active');

    // Act
    const page = await t.call('GET', '/v1/licences?state=active&limit=10', { key: licensor });

    // Assert
    expect(page.status).toBe(200);
    expect(ids(page)).toEqual(active);
    expect(page.body.cursor).toBeUndefined();
    // Each page of the pending list is full until the list ends, and a signed licence left it
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const next = await t.call('GET', `/v1/licences?state=awaiting_signature&limit=25${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { key: licensor });
      if (next.body.cursor && seen.length + 25 < pending.length) expect(next.body.items).toHaveLength(25);
      seen.push(...ids(next));
      cursor = next.body.cursor;
    } while (cursor);
    expect(seen).toEqual(pending);
    expect(ids(await t.call('GET', '/v1/licences?state=awaiting_signature', { key: signer }))).not.toContain(active[0]);
    expect(ids(await t.call('GET', '/v1/licences?state=active', { key: signer }))).toEqual(expect.arrayContaining(active));
  }, 180_000);
});
