import { readFileSync } from 'node:fs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDocumentClient, type DynamoDBDocumentClient } from '../../functions/adapters/dynamo/client.ts';
import { startDynamoDbLocal, type RunningDynamoDb } from '../../infra/local/dynamodb-local.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

// The cloud's timeout budget, not the slack the emulators get under a loaded test run: set before any client exists.
vi.hoisted(() => {
  process.env.COMPTOIR_EMULATOR_TIMEOUT_SLACK = '1';
});

type Answer = { status: number; body: any; headers: Headers };

/** Whether the process is stopped by a signal, per /proc/<pid>/stat. */
const isStopped = (pid: number) => readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').startsWith('T');

/**
 * The DynamoDB Local JVM paused (SIGSTOP) under a running platform. This file's own instance, never
 * the shared one. Requests must answer while the JVM is still stopped: a guard resumes it after
 * 45 s only so a hanging request can fail the test instead of the whole run.
 */
describe('a paused DynamoDB Local (SIGSTOP, then SIGCONT)', () => {
  let dynamo: RunningDynamoDb;
  let t: TestRuntime;
  let db: DynamoDBDocumentClient;
  const pricedOffers: string[] = [];

  /** Runs `during` with the JVM stopped; reports whether it finished before the guard had to resume the JVM. */
  async function whilePaused<T>(during: () => Promise<T>): Promise<{ result: T; answeredWhileStopped: boolean }> {
    let guardFired = false;
    process.kill(dynamo.pid!, 'SIGSTOP');
    // A group stop is not instant: wait until every thread of the JVM is stopped (state T).
    while (!isStopped(dynamo.pid!)) await new Promise((r) => setTimeout(r, 5));
    const guard = setTimeout(() => {
      guardFired = true;
      process.kill(dynamo.pid!, 'SIGCONT');
    }, 45_000);
    try {
      const result = await during();
      return { result, answeredWhileStopped: !guardFired };
    } finally {
      clearTimeout(guard);
      process.kill(dynamo.pid!, 'SIGCONT');
    }
  }

  const ledger = async () => (await t.call('GET', '/v1/ledger', { key: t.keys.private.key })).body as { balance: number; items: { cause: { type: string; licenceId?: string } }[] };
  // At most three requests may wait per offer: spread them over the offers.
  const requestLicence = async (n = 0) => {
    const requested = await t.call('POST', '/v1/licences', { key: t.keys.private.key, body: { offerId: pricedOffers[n % pricedOffers.length], purpose: 'planning' } });
    expect(requested.status, JSON.stringify(requested.body)).toBe(201);
    return requested.body.id as string;
  };
  const sign = (id: string, idempotencyKey?: string) => t.call('POST', `/v1/licences/${id}/sign`, { key: t.keys.private.key, ...(idempotencyKey ? { headers: { 'idempotency-key': idempotencyKey } } : {}) });
  const stateOf = async (id: string) => (await t.call('GET', `/v1/licences/${id}`, { key: t.keys.private.key })).body.state as string;
  const expectUnavailable = (a: Answer) => {
    expect([a.status, a.body?.error?.code], JSON.stringify(a.body)).toEqual([503, 'unavailable']);
    expect(Number(a.headers.get('retry-after'))).toBeGreaterThan(0);
  };
  /** Each licence is active with exactly one purchase, or not active with none; the balance matches; the chain verifies. */
  async function expectWhole(ids: string[], balanceBefore: number) {
    const after = await ledger();
    let active = 0;
    for (const id of ids) {
      const purchases = after.items.filter((e) => e.cause.type === 'purchase' && e.cause.licenceId === id).length;
      const state = await stateOf(id);
      expect({ id, purchases }).toEqual({ id, purchases: state === 'active' ? 1 : 0 });
      if (state === 'active') active += 1;
    }
    expect(after.balance).toBe(balanceBefore - 10 * active);
    expect((await t.call('GET', '/v1/audit/verify', { key: t.keys.officer.key })).body).toMatchObject({ valid: true });
  }
  /** Waits until the table answers again (the first calls after SIGCONT may still meet stale sockets). */
  async function untilReady() {
    while ((await t.call('GET', '/health/ready')).status !== 200) await new Promise((r) => setTimeout(r, 200));
  }

  beforeAll(async () => {
    dynamo = await startDynamoDbLocal();
    t = await startTestRuntime({ dynamoEndpoint: dynamo.endpoint });
    db = createDocumentClient({ endpoint: dynamo.endpoint });
    const dataset = await t.call('POST', '/v1/datasets', { key: t.keys.dsp.key, body: { title: 'Fréquentation horaire', description: 'x', theme: 'mobility', classification: 'shared', format: 'csv', schema: { fields: [{ name: 'h', type: 'integer' }] } } });
    for (let i = 0; i < 3; i++) {
      const offer = await t.call('POST', '/v1/offers', { key: t.keys.dsp.key, body: { datasetId: dataset.body.id, template: 'territorial-restricted', price: { credits: 10 }, audience: ['private'] } });
      expect(offer.status, JSON.stringify(offer.body)).toBe(201);
      pricedOffers.push(offer.body.id);
    }
    const granted = await t.call('POST', '/v1/ledger/grants', { key: t.keys.officer.key, body: { partnerId: t.keys.private.partnerId, credits: 1000, memo: 'dotation' } });
    expect(granted.status).toBe(201);
  }, 180_000);
  afterAll(async () => {
    db?.destroy();
    await t?.stop();
    await dynamo?.stop();
  });

  it('makes /health/ready answer 503 naming the table while paused, 200 once resumed', async () => {
    expect(await t.call('GET', '/health/ready')).toMatchObject({ status: 200, body: { ok: true, checks: { table: 'up', bucket: 'up' } } });

    // The report of the last second may still be served: ask until a fresh check answers.
    const { result: paused, answeredWhileStopped } = await whilePaused(async () => {
      for (;;) {
        const answer = await t.call('GET', '/health/ready');
        if (answer.status !== 200) return answer;
        await new Promise((r) => setTimeout(r, 100));
      }
    });

    expect(answeredWhileStopped).toBe(true);
    expect(paused).toMatchObject({ status: 503, body: { error: { code: 'not_ready', checks: { table: 'down', bucket: 'up' } } } });
    expect(paused.body.error.message).toContain('table');
    expect(paused.headers.get('retry-after')).toBe('1');
    expect(await t.call('GET', '/health')).toMatchObject({ status: 200 });
    await untilReady();
  });

  it('answers writes 503 with Retry-After while paused, and leaves every signature whole after SIGCONT', async () => {
    // Arrange
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await requestLicence(i));
    const before = (await ledger()).balance;

    // Act: three signatures in flight when the JVM stops, three sent after.
    const inFlight = ids.slice(0, 3).map((id) => sign(id));
    const { result: answers, answeredWhileStopped } = await whilePaused(async () => [...(await Promise.all(inFlight)), ...(await Promise.all(ids.slice(3).map((id) => sign(id))))]);

    // Assert
    expect(answeredWhileStopped, 'a request hung for the whole pause').toBe(true);
    for (const a of answers) if (a.status !== 200) expectUnavailable(a);
    for (const a of answers.slice(3)) expectUnavailable(a);
    await untilReady();
    await expectWhole(ids, before);
    // Whatever was refused can be signed now, once.
    for (const id of ids) if ((await stateOf(id)) !== 'active') expect((await sign(id)).status).toBe(200);
    await expectWhole(ids, before);
    expect((await ledger()).balance).toBe(before - 60);
  });

  it('answers a twin of a signature still running under a paused database 409 idempotency_in_progress with Retry-After, never a half-applied state', async () => {
    // Arrange
    const id = await requestLicence();
    const before = (await ledger()).balance;
    const keyId = (await t.call('GET', '/v1/me', { key: t.keys.private.key })).body.principal.keyId as string;
    const claimOf = async () => (await db.send(new GetCommand({ TableName: t.tableName, Key: { pk: `IDEMPOTENCY#${keyId}#twin-under-pause`, sk: 'IDEMPOTENCY' }, ConsistentRead: true }))).Item;

    // Act: the first request has claimed its key when the JVM stops; a twin comes meanwhile, another right after SIGCONT.
    const first = sign(id, 'twin-under-pause');
    while (!(await claimOf())) await new Promise((r) => setImmediate(r));
    const { result: twinPaused, answeredWhileStopped } = await whilePaused(() => sign(id, 'twin-under-pause'));
    const twinAfter = await sign(id, 'twin-under-pause');
    const firstAnswer = await first;
    await untilReady();

    // Assert
    expect(answeredWhileStopped).toBe(true);
    expectUnavailable(twinPaused);
    if (firstAnswer.status !== 200) expectUnavailable(firstAnswer);
    if (twinAfter.status === 409) {
      expect(twinAfter.body.error.code).toBe('idempotency_in_progress');
      expect(twinAfter.headers.get('retry-after')).toBe('1');
    } else {
      expect(twinAfter.status, JSON.stringify(twinAfter.body)).toBe(200);
      if (firstAnswer.status === 200) expect(twinAfter.body).toEqual(firstAnswer.body);
    }
    await expectWhole([id], before);
  });
});
