import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

describe('credits and priced licences over HTTP on the local runtime', () => {
  let t: TestRuntime;
  let datasetId: string;

  const balance = async (key: string) => (await t.call('GET', '/v1/ledger', { key })).body.balance as number;
  const offer = async (credits: number) =>
    (await t.call('POST', '/v1/offers', { key: t.keys.dsp.key, body: { datasetId, template: 'territorial-restricted', price: { credits }, audience: ['private'] } })).body.id as string;
  const request = async (offerId: string) => (await t.call('POST', '/v1/licences', { key: t.keys.private.key, body: { offerId, purpose: 'planning' } })).body.id as string;
  const sign = (id: string, idempotencyKey?: string) =>
    fetch(`${t.runtime.url}/v1/licences/${id}/sign`, { method: 'POST', headers: { authorization: `Bearer ${t.keys.private.key}`, ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) } }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

  beforeAll(async () => {
    t = await startTestRuntime();
    const ds = await t.call('POST', '/v1/datasets', {
      key: t.keys.dsp.key,
      body: { title: 'Fréquentation horaire', description: 'x', theme: 'mobility', classification: 'shared', format: 'csv', schema: { fields: [{ name: 'h', type: 'integer' }] } },
    });
    datasetId = ds.body.id;
  });
  afterAll(() => t.stop());

  it('grants credits once per Idempotency-Key', async () => {
    const grant = (credits: number) =>
      fetch(`${t.runtime.url}/v1/ledger/grants`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t.keys.officer.key}`, 'content-type': 'application/json', 'idempotency-key': 'grant-firm-1' },
        body: JSON.stringify({ partnerId: t.keys.private.partnerId, credits, memo: 'dotation 2027' }),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
    const first = await grant(100);
    const again = await grant(100);
    expect(first.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect((await grant(99)).status).toBe(409);
    expect(await balance(t.keys.private.key)).toBe(100);
    expect((await t.call('POST', '/v1/ledger/grants', { key: t.keys.private.key, body: { partnerId: t.keys.private.partnerId, credits: 5 } })).status).toBe(403);
  });

  it("refuses a grant to the collectivity's own account (403 self_grant) and moves nothing", async () => {
    const res = await t.call('POST', '/v1/ledger/grants', { key: t.keys.officer.key, body: { partnerId: t.keys.officer.partnerId, credits: 1000 } });

    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('self_grant');
    const own = (await t.call('GET', '/v1/ledger', { key: t.keys.officer.key })).body;
    expect(own.balance).toBe(0);
    expect(own.items).toEqual([]);
  });

  it('buys a 60-credit licence once, refuses a second for lack of credits, and changes nothing then', async () => {
    const priced = await offer(60);
    const first = await request(priced);
    const signed = await sign(first, 'sign-1');
    expect(signed.body.state, JSON.stringify(signed.body)).toBe('active');
    expect((await sign(first, 'sign-1')).body).toEqual(signed.body);
    expect(await balance(t.keys.private.key)).toBe(40);

    const second = await request(priced);
    const refused = await sign(second);
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('insufficient_credits');
    expect(await balance(t.keys.private.key)).toBe(40);
    expect((await t.call('GET', `/v1/licences/${second}`, { key: t.keys.private.key })).body.state).toBe('awaiting_signature');

    const statement = (await t.call('GET', '/v1/ledger', { key: t.keys.private.key })).body;
    expect(statement.items.map((e: { amount: number; cause: { type: string } }) => `${e.cause.type}:${e.amount}`)).toEqual(['purchase:-60', 'grant:100']);
  });

  it('releases escrowed credits to the licensor after 24 hours', async () => {
    expect(await balance(t.keys.dsp.key)).toBe(0);
    const checks = await t.runtime.runSchedule(new Date(Date.now() + 25 * 3600_000));
    expect(checks.escrowsReleased).toBe(1);
    expect(await balance(t.keys.dsp.key)).toBe(60);
    const owner = (await t.call('GET', '/v1/ledger', { key: t.keys.dsp.key })).body;
    expect(owner.items[0]).toMatchObject({ amount: 60, cause: { type: 'escrow-release' } });
  });

  it('refunds in full when an officer revokes within the escrow period', async () => {
    const id = await request(await offer(30));
    expect((await sign(id)).body.state).toBe('active');
    expect(await balance(t.keys.private.key)).toBe(10);
    const revoked = await t.call('POST', `/v1/licences/${id}/revoke`, { key: t.keys.officer.key, body: { reason: 'erreur de tarification' } });
    expect(revoked.body.state).toBe('revoked');
    expect(await balance(t.keys.private.key)).toBe(40);
    expect((await t.runtime.runSchedule(new Date(Date.now() + 25 * 3600_000))).escrowsReleased).toBe(0);
  });

  describe('a licence ended within the escrow period', () => {
    const grant = (credits: number) => t.call('POST', '/v1/ledger/grants', { key: t.keys.officer.key, body: { partnerId: t.keys.private.partnerId, credits } });
    const bought = async (credits: number) => {
      await grant(credits);
      const id = await request(await offer(credits));
      expect((await sign(id)).body.state).toBe('active');
      return id;
    };
    const balances = async () => ({ licensee: await balance(t.keys.private.key), licensor: await balance(t.keys.dsp.key) });

    it('refunds the licensee in full when the licensor revokes, and the schedule after 24 hours pays the licensor nothing', async () => {
      // Arrange
      const id = await bought(20);
      const before = await balances();

      // Act
      const revoked = await t.call('POST', `/v1/licences/${id}/revoke`, { key: t.keys.dsp.key, body: { reason: 'jeu de données retiré' } });
      const checks = await t.runtime.runSchedule(new Date(Date.now() + 25 * 3600_000));

      // Assert
      expect(revoked.body.state, JSON.stringify(revoked.body)).toBe('revoked');
      expect(checks.escrowsReleased).toBe(0);
      expect(await balances()).toEqual({ licensee: before.licensee + 20, licensor: before.licensor });
      const statement = (await t.call('GET', '/v1/ledger', { key: t.keys.private.key })).body;
      expect(statement.items.filter((e: { cause: { licenceId?: string } }) => e.cause.licenceId === id)).toMatchObject([{ amount: 20, cause: { type: 'refund' } }, { amount: -20, cause: { type: 'purchase' } }]);
    });

    it('answers 404 to anyone who is no party (an officer terminating included), 403 to the licensee revoking, and moves nothing', async () => {
      // Arrange
      const id = await bought(5);
      const before = await balances();

      // Act
      const stranger = await t.call('POST', `/v1/licences/${id}/revoke`, { key: t.keys.public.key, body: { reason: 'pas à moi' } });
      const licensee = await t.call('POST', `/v1/licences/${id}/revoke`, { key: t.keys.private.key, body: { reason: 'remboursez-moi' } });
      const strangerEnds = await t.call('POST', `/v1/licences/${id}/terminate`, { key: t.keys.public.key, body: { reason: 'pas à moi' } });
      const officerEnds = await t.call('POST', `/v1/licences/${id}/terminate`, { key: t.keys.officer.key, body: { reason: 'pas partie' } });

      // Assert
      expect([stranger.status, stranger.body.error.code]).toEqual([404, 'not_found']);
      expect([strangerEnds.status, strangerEnds.body.error.code]).toEqual([404, 'not_found']);
      expect([licensee.status, licensee.body.error.code]).toEqual([403, 'licensor_or_officer']);
      // Only the parties end a licence: an officer whose collectivity is no party learns nothing here either.
      expect([officerEnds.status, officerEnds.body.error.code]).toEqual([404, 'not_found']);
      expect((await t.call('GET', `/v1/licences/${id}`, { key: t.keys.private.key })).body.state).toBe('active');
      expect(await balances()).toEqual(before);
      expect((await t.runtime.runSchedule(new Date(Date.now() + 25 * 3600_000))).escrowsReleased).toBe(1);
    });

    it('refunds the licensee in full when the licensor terminates', async () => {
      const id = await bought(15);
      const before = await balances();
      expect((await t.call('POST', `/v1/licences/${id}/terminate`, { key: t.keys.dsp.key, body: { reason: 'fin du service' } })).body.state).toBe('terminated');
      expect(await balances()).toEqual({ licensee: before.licensee + 15, licensor: before.licensor });
      expect((await t.runtime.runSchedule(new Date(Date.now() + 25 * 3600_000))).escrowsReleased).toBe(0);
    });

    it("pays the licensor at once when the licensee terminates: the licensee's own end is no refund", async () => {
      const id = await bought(12);
      const before = await balances();
      expect((await t.call('POST', `/v1/licences/${id}/terminate`, { key: t.keys.private.key, body: { reason: 'projet arrêté' } })).body.state).toBe('terminated');
      expect(await balances()).toEqual({ licensee: before.licensee, licensor: before.licensor + 12 });
      const owner = (await t.call('GET', '/v1/ledger', { key: t.keys.dsp.key })).body;
      // Earlier schedule runs at a later clock wrote later-dated entries: find this licence's own.
      expect(owner.items.filter((e: { cause: { licenceId?: string } }) => e.cause.licenceId === id)).toMatchObject([{ amount: 12, cause: { type: 'escrow-release' } }]);
      expect((await t.runtime.runSchedule(new Date(Date.now() + 25 * 3600_000))).escrowsReleased).toBe(0);
    });
  });
});
