import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient, type DynamoDBDocumentClient } from '../../functions/adapters/dynamo/client.ts';
import { routes } from '../../schemas/routes.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { dynamoEndpoint } from '../support/emulators.ts';

type Answer = { status: number; body: any; headers: Headers };

const TWINS = 20;
const inProgress = (a: Answer) => a.status === 409 && a.body?.error?.code === 'idempotency_in_progress';

/** Every answer is the first one (same status and body) or a 409 in progress with Retry-After; returns the first. */
function expectOneAnswer(answers: Answer[], status: number): any {
  const settled = answers.filter((a) => !inProgress(a));
  expect(settled.length).toBeGreaterThan(0);
  const first = settled[0]!;
  expect(first.status, JSON.stringify(first.body)).toBe(status);
  for (const a of settled) expect({ status: a.status, body: a.body }).toEqual({ status, body: first.body });
  for (const a of answers.filter(inProgress)) expect(a.headers.get('retry-after')).toBe('1');
  return first.body;
}

describe('concurrent retries with one Idempotency-Key over HTTP on the local runtime', () => {
  let t: TestRuntime;
  let db: DynamoDBDocumentClient;
  let pricedOffer: string;
  let operatorOffer: string;
  let firmOffer: string;
  let operatorData: string;

  const dataset = async (key: string, title: string) =>
    (await t.call('POST', '/v1/datasets', { key, body: { title, description: 'x', theme: 'mobility', classification: 'shared', format: 'csv', schema: { fields: [{ name: 'h', type: 'integer' }] } } })).body.id as string;
  const ledger = async (key: string) => (await t.call('GET', '/v1/ledger', { key })).body as { balance: number; items: { amount: number; cause: { type: string; licenceId?: string; barterId?: string } }[] };
  const keyIdOf = async (key: string) => (await t.call('GET', '/v1/me', { key })).body.principal.keyId as string;
  const post = (path: string, key: string, idempotencyKey: string, body?: unknown) => t.call('POST', path, { key, ...(body !== undefined ? { body } : {}), headers: { 'idempotency-key': idempotencyKey } });
  const twins = (send: () => Promise<Answer>) => Promise.all(Array.from({ length: TWINS }, send));
  const requestLicence = async () => (await t.call('POST', '/v1/licences', { key: t.keys.private.key, body: { offerId: pricedOffer, purpose: 'planning' } })).body.id as string;
  const grant = (idempotencyKey: string, credits: number) => post('/v1/ledger/grants', t.keys.officer.key, idempotencyKey, { partnerId: t.keys.private.partnerId, credits, memo: 'dotation' });
  const propose = (idempotencyKey: string, purpose = 'planning') => post('/v1/barters', t.keys.private.key, idempotencyKey, { offerId: operatorOffer, give: { offerId: firmOffer, credits: 5 }, purpose });

  /** The stored item of an Idempotency-Key, as the table keeps it. */
  const itemOf = async (keyId: string, idempotencyKey: string) =>
    (await db.send(new GetCommand({ TableName: t.tableName, Key: { pk: `IDEMPOTENCY#${keyId}#${idempotencyKey}`, sk: 'IDEMPOTENCY' }, ConsistentRead: true }))).Item;
  /** What a request that died (or is still running) leaves behind: a claim with its lease. */
  const plantClaim = (keyId: string, idempotencyKey: string, requestHash: string, leaseUntil: Date) =>
    db.send(
      new PutCommand({
        TableName: t.tableName,
        Item: { pk: `IDEMPOTENCY#${keyId}#${idempotencyKey}`, sk: 'IDEMPOTENCY', scope: keyId, key: idempotencyKey, requestHash, state: 'claimed', claimToken: 'planted', at: new Date(leaseUntil.getTime() - 60_000).toISOString(), leaseUntil: leaseUntil.toISOString() },
      }),
    );

  beforeAll(async () => {
    t = await startTestRuntime();
    db = createDocumentClient({ endpoint: dynamoEndpoint() });
    operatorData = await dataset(t.keys.dsp.key, 'Fréquentation horaire');
    const firmData = await dataset(t.keys.private.key, 'Trajets agrégés');
    pricedOffer = (await t.call('POST', '/v1/offers', { key: t.keys.dsp.key, body: { datasetId: operatorData, template: 'territorial-restricted', price: { credits: 10 }, audience: ['private'] } })).body.id;
    const o1 = await t.call('POST', '/v1/offers', { key: t.keys.dsp.key, body: { datasetId: operatorData, template: 'territorial-restricted', barter: { accepts: { themes: ['mobility'] } }, audience: ['private'] } });
    const o2 = await t.call('POST', '/v1/offers', { key: t.keys.private.key, body: { datasetId: firmData, template: 'territorial-restricted', audience: ['dsp'] } });
    expect([o1.status, o2.status], JSON.stringify([o1.body, o2.body])).toEqual([201, 201]);
    operatorOffer = o1.body.id;
    firmOffer = o2.body.id;
  });
  afterAll(async () => {
    db.destroy();
    await t.stop();
  });

  it('grants credits once for twenty concurrent grants with one key, replays the answer, and refuses the key for another grant', async () => {
    // Arrange
    const before = await ledger(t.keys.private.key);

    // Act
    const answers = await twins(() => grant('grant-twins', 100));

    // Assert
    const first = expectOneAnswer(answers, 201);
    const after = await ledger(t.keys.private.key);
    expect(after.balance).toBe(before.balance + 100);
    expect(after.items.filter((e) => e.cause.type === 'grant')).toHaveLength(before.items.filter((e) => e.cause.type === 'grant').length + 1);
    const retry = await grant('grant-twins', 100);
    expect({ status: retry.status, body: retry.body }).toEqual({ status: 201, body: first });
    const other = await grant('grant-twins', 99);
    expect([other.status, other.body.error.code]).toEqual([409, 'idempotency_key_reused']);
    expect((await ledger(t.keys.private.key)).balance).toBe(before.balance + 100);
  });

  it('signs a priced licence once for twenty concurrent signatures with one key: one debit, one answer', async () => {
    // Arrange
    const id = await requestLicence();
    const before = (await ledger(t.keys.private.key)).balance;

    // Act
    const answers = await twins(() => post(`/v1/licences/${id}/sign`, t.keys.private.key, 'sign-twins'));

    // Assert
    const first = expectOneAnswer(answers, 200);
    expect(first.state).toBe('active');
    const after = await ledger(t.keys.private.key);
    expect(after.balance).toBe(before - 10);
    expect(after.items.filter((e) => e.cause.type === 'purchase' && e.cause.licenceId === id)).toHaveLength(1);
    const retry = await post(`/v1/licences/${id}/sign`, t.keys.private.key, 'sign-twins');
    expect({ status: retry.status, body: retry.body }).toEqual({ status: 200, body: first });
    // The same key for another licence is another request.
    const other = await post(`/v1/licences/${await requestLicence()}/sign`, t.keys.private.key, 'sign-twins');
    expect([other.status, other.body.error.code]).toEqual([409, 'idempotency_key_reused']);
    expect((await ledger(t.keys.private.key)).balance).toBe(before - 10);
  });

  it('proposes one barter for twenty concurrent proposals with one key', async () => {
    // Arrange
    const before = (await t.call('GET', '/v1/barters', { key: t.keys.private.key })).body.items.length as number;

    // Act
    const answers = await twins(() => propose('propose-twins'));

    // Assert
    const first = expectOneAnswer(answers, 201);
    expect(first.state).toBe('proposed');
    const barters = (await t.call('GET', '/v1/barters', { key: t.keys.private.key })).body.items as { id: string }[];
    expect(barters).toHaveLength(before + 1);
    expect(barters.map((b) => b.id)).toContain(first.id);
    const retry = await propose('propose-twins');
    expect({ status: retry.status, body: retry.body }).toEqual({ status: 201, body: first });
    const other = await propose('propose-twins', 'public-service');
    expect([other.status, other.body.error.code]).toEqual([409, 'idempotency_key_reused']);
  });

  it('settles a barter once for twenty concurrent acceptances with one key: both licences once, the credits once', async () => {
    // Arrange
    await grant('grant-for-barter', 20);
    const proposed = await propose('propose-for-accept');
    expect(proposed.status, JSON.stringify(proposed.body)).toBe(201);
    const id = proposed.body.id as string;
    const [firmBefore, operatorBefore] = [await ledger(t.keys.private.key), await ledger(t.keys.dsp.key)];
    const licencesBefore = (await t.call('GET', '/v1/licences', { key: t.keys.private.key })).body.items.length as number;

    // Act
    const answers = await twins(() => post(`/v1/barters/${id}/accept`, t.keys.dsp.key, 'accept-twins', { purpose: 'public-service' }));

    // Assert
    const first = expectOneAnswer(answers, 200);
    expect(first.state).toBe('accepted');
    expect((await ledger(t.keys.private.key)).balance).toBe(firmBefore.balance - 5);
    const operatorAfter = await ledger(t.keys.dsp.key);
    expect(operatorAfter.balance).toBe(operatorBefore.balance + 5);
    expect(operatorAfter.items.filter((e) => e.cause.type === 'barter' && e.cause.barterId === id)).toHaveLength(1);
    const licences = (await t.call('GET', '/v1/licences', { key: t.keys.private.key })).body.items as { id: string; state: string }[];
    expect(licences).toHaveLength(licencesBefore + 2);
    expect(licences.filter((l) => [first.want.licenceId, first.give.licenceId].includes(l.id)).map((l) => l.state)).toEqual(['active', 'active']);
    const retry = await post(`/v1/barters/${id}/accept`, t.keys.dsp.key, 'accept-twins', { purpose: 'public-service' });
    expect({ status: retry.status, body: retry.body }).toEqual({ status: 200, body: first });
    const other = await post(`/v1/barters/${id}/accept`, t.keys.dsp.key, 'accept-twins', { purpose: 'planning' });
    expect([other.status, other.body.error.code]).toEqual([409, 'idempotency_key_reused']);
  });

  it('frees the key when the first request is refused, so a retry after the fix succeeds', async () => {
    // Arrange: a licensee without credits
    const offer = await t.call('POST', '/v1/offers', { key: t.keys.dsp.key, body: { datasetId: operatorData, template: 'territorial-restricted', price: { credits: 10 }, audience: ['public'] } });
    const id = (await t.call('POST', '/v1/licences', { key: t.keys.public.key, body: { offerId: offer.body.id, purpose: 'planning' } })).body.id as string;
    expect((await ledger(t.keys.public.key)).balance).toBe(0);

    // Act
    const refused = await post(`/v1/licences/${id}/sign`, t.keys.public.key, 'sign-after-refusal');
    await post('/v1/ledger/grants', t.keys.officer.key, 'grant-public', { partnerId: t.keys.public.partnerId, credits: 10 });
    const retried = await post(`/v1/licences/${id}/sign`, t.keys.public.key, 'sign-after-refusal');

    // Assert
    expect([refused.status, refused.body.error.code]).toEqual([422, 'insufficient_credits']);
    expect([retried.status, retried.body.state]).toEqual([200, 'active']);
    expect((await ledger(t.keys.public.key)).balance).toBe(0);
  });

  it('answers 409 idempotency_in_progress with Retry-After while a twin holds the key, and idempotency_key_reused for another request', async () => {
    // Arrange: a live claim, as a request still running leaves it, for the very request sent next
    const keyId = await keyIdOf(t.keys.officer.key);
    await grant('grant-template', 7);
    const { requestHash } = (await itemOf(keyId, 'grant-template'))!;
    await plantClaim(keyId, 'grant-in-flight', String(requestHash), new Date(Date.now() + 3600_000));
    const before = (await ledger(t.keys.private.key)).balance;

    // Act
    const twin = await grant('grant-in-flight', 7);
    const other = await grant('grant-in-flight', 8);

    // Assert
    expect([twin.status, twin.body.error.code, twin.headers.get('retry-after')]).toEqual([409, 'idempotency_in_progress', '1']);
    expect([other.status, other.body.error.code, other.headers.get('retry-after')]).toEqual([409, 'idempotency_key_reused', null]);
    expect((await ledger(t.keys.private.key)).balance).toBe(before);
  });

  it('lets a retry through when the claim of a request that died has lapsed', async () => {
    // Arrange: the claim a crashed request left behind, its lease over
    const keyId = await keyIdOf(t.keys.officer.key);
    await grant('grant-model', 3);
    const { requestHash } = (await itemOf(keyId, 'grant-model'))!;
    await plantClaim(keyId, 'grant-crashed', String(requestHash), new Date(Date.now() - 1000));
    const before = (await ledger(t.keys.private.key)).balance;

    // Act
    const retry = await grant('grant-crashed', 3);

    // Assert
    expect(retry.status, JSON.stringify(retry.body)).toBe(201);
    expect((await ledger(t.keys.private.key)).balance).toBe(before + 3);
    expect((await itemOf(keyId, 'grant-crashed'))?.state).toBe('done');
    expect((await grant('grant-crashed', 3)).body).toEqual(retry.body);
  });

  it('refuses an Idempotency-Key longer than 255 characters with a 400, changing nothing', async () => {
    const before = (await ledger(t.keys.private.key)).balance;
    const refused = await grant('k'.repeat(256), 1);
    expect([refused.status, refused.body.error.code]).toEqual([400, 'invalid_request']);
    expect((await ledger(t.keys.private.key)).balance).toBe(before);
  });

  it('documents the Idempotency-Key header and the Retry-After of its 409 on exactly the four routes that honour it', async () => {
    const { body } = await t.call('GET', '/openapi.json');
    const honouring = Object.entries(routes)
      .filter(([, r]) => body.paths[r.path][r.method.toLowerCase()].parameters?.some((p: { in: string; name: string }) => p.in === 'header' && p.name === 'Idempotency-Key'))
      .map(([id]) => id);
    expect(honouring.sort()).toEqual(['acceptBarter', 'grantCredits', 'proposeBarter', 'signLicence']);
    for (const id of honouring) {
      const r = routes[id as keyof typeof routes];
      expect(body.paths[r.path][r.method.toLowerCase()].responses['409'].headers['Retry-After'].schema.type).toBe('integer');
    }
  });
});
