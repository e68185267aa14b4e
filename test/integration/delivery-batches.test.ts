import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoFeedStore } from '../../functions/adapters/dynamo/feed-store.ts';
import { DynamoLicenceBatchReader } from '../../functions/adapters/dynamo/licence-batch-reader.ts';
import { GroupCommit } from '../../functions/domain/feeds/run-support.ts';
import type { DeliveryClaim, StoredDelivery } from '../../functions/ports/feeds.ts';
import { createTestTable, type TestTable } from '../support/emulators.ts';
import { cancelNextTransactions } from '../support/transaction-conflicts.ts';

const AT = '2026-03-01T10:00:00.000Z';
const claim = (token: string): DeliveryClaim => ({ token, until: '2026-03-01T10:05:00.000Z' });
const delivery = (subscriptionId: string, eventId: string): StoredDelivery => ({
  eventId,
  subscriptionId,
  datasetId: 'ds1',
  version: 1,
  sha256: 'a'.repeat(64),
  publishedAt: AT,
  status: 'pending',
  attempts: [],
  nextAttemptAt: AT,
  createdAt: AT,
});
const access = { access: { accessId: 'acc1', objectKey: 'datasets/ds1/v1.csv', transforms: [] } };

describe('delivery writes by the batch (DynamoDB Local)', () => {
  let table: TestTable;
  let store: DynamoFeedStore;

  beforeAll(async () => {
    table = await createTestTable();
    store = new DynamoFeedStore(table.db, table.tableName);
  });
  afterAll(async () => table.drop());

  it('creates every new delivery of a batch and answers false only for the one that already existed, leaving it untouched', async () => {
    // Arrange: one delivery of the event already created by another worker.
    expect(await store.createDelivery(delivery('s2', 'e1'), claim('other'))).toBe(true);

    // Act
    const created = await store.createDeliveries(['s1', 's2', 's3'].map((s) => ({ delivery: delivery(s, 'e1'), claim: claim('mine') })));

    // Assert: the existing one keeps its first worker's claim, so that worker alone can record it.
    expect(created).toEqual([true, false, true]);
    expect(await store.saveAccess('s2', 'e1', 'mine', access)).toBe(false);
    expect(await store.saveAccess('s2', 'e1', 'other', access)).toBe(true);
    expect(await store.saveAccess('s1', 'e1', 'mine', access)).toBe(true);
    expect((await store.getDelivery('s3', 'e1'))?.status).toBe('pending');
  });

  it('writes more than one transaction holds (100 items) and answers each in order', async () => {
    const subs = Array.from({ length: 130 }, (_, i) => `big${i}`);
    await store.createDelivery(delivery('big117', 'e2'), claim('other'));

    const created = await store.createDeliveries(subs.map((s) => ({ delivery: delivery(s, 'e2'), claim: claim('mine') })));

    expect(created).toEqual(subs.map((s) => s !== 'big117'));
    expect((await store.listDeliveries('big129', 10)).map((d) => d.eventId)).toEqual(['e2']);
  });

  it('keeps the decisions and records the attempts only under the claim that holds each delivery', async () => {
    // Arrange: three deliveries, one of them held by another worker.
    await store.createDeliveries(['k1', 'k3'].map((s) => ({ delivery: delivery(s, 'e3'), claim: claim('mine') })));
    await store.createDelivery(delivery('k2', 'e3'), claim('other'));
    const attempt = { at: AT, latencyMs: 3, statusCode: 200 };

    // Act
    const saved = await store.saveAccesses(['k1', 'k2', 'k3'].map((s) => ({ subscriptionId: s, eventId: 'e3', claimToken: 'mine', prepared: access })));
    const recorded = await store.recordAttempts(['k1', 'k2', 'k3'].map((s) => ({ subscriptionId: s, eventId: 'e3', claimToken: 'mine', attempt, status: 'delivered' as const })));
    // The same decision a second time: it was kept once, and is never replaced.
    const again = await store.saveAccesses([{ subscriptionId: 'k1', eventId: 'e3', claimToken: 'mine', prepared: { reasons: [] } }]);

    // Assert
    expect(saved).toEqual([true, false, true]);
    expect(recorded).toEqual([true, false, true]);
    expect(again).toEqual([false]);
    expect(await store.getDelivery('k1', 'e3')).toMatchObject({ status: 'delivered', attempts: [attempt], ...access });
    expect(await store.getDelivery('k2', 'e3')).toMatchObject({ status: 'pending', attempts: [] });
    expect((await store.getDelivery('k2', 'e3'))?.access).toBeUndefined();
    // A delivered one leaves the due index; the one held elsewhere stays due.
    expect((await store.getDelivery('k1', 'e3'))?.nextAttemptAt).toBeUndefined();
    expect((await store.getDelivery('k2', 'e3'))?.nextAttemptAt).toBe(AT);
  });

  it('writes again the items a conflicting writer cancelled, until each one is written', async () => {
    cancelNextTransactions(table, 2);
    const created = await store.createDeliveries(['c1', 'c2'].map((s) => ({ delivery: delivery(s, 'e4'), claim: claim('mine') })));
    expect(created).toEqual([true, true]);
    expect(await store.saveAccess('c2', 'e4', 'mine', access)).toBe(true);
  });

  it('gives a batch up as an outage after five transactions in a row cancelled by conflicts, writing nothing', async () => {
    cancelNextTransactions(table, 5);
    await expect(store.createDeliveries([{ delivery: delivery('g1', 'e5'), claim: claim('mine') }])).rejects.toMatchObject({ name: 'DependencyError' });
    expect(await store.getDelivery('g1', 'e5')).toBeUndefined();
  });

  it('reads licences a hundred at a time, strongly consistent, and leaves out those that do not exist', async () => {
    // Arrange: 120 licence items as the licence store writes them.
    const ids = Array.from({ length: 120 }, (_, i) => `lic${i}`);
    await Promise.all(ids.map((id, i) => table.db.send(new PutCommand({ TableName: table.tableName, Item: { pk: `LICENCE#${id}`, sk: 'LICENCE', gsi1pk: 'LICENCES', id, state: i === 7 ? 'revoked' : 'active' } }))));

    const found = await new DynamoLicenceBatchReader(table.db, table.tableName).getLicences([...ids, 'nope', 'lic3']);

    expect(found.size).toBe(120);
    expect(found.get('lic7')).toEqual({ id: 'lic7', state: 'revoked' });
    expect(found.get('nope')).toBeUndefined();
  });
});

describe('group commit', () => {
  it('sends a lone call at once, gathers the calls made meanwhile, and gives each caller its own answer or the error', async () => {
    const writes: number[][] = [];
    let fail = false;
    const group = new GroupCommit<number, string>(
      async (items) => {
        writes.push(items);
        await new Promise((r) => setTimeout(r, 5));
        if (fail) throw new Error('outage');
        return items.map((i) => `ok${i}`);
      },
      3,
      1,
    );

    const answers = await Promise.all([1, 2, 3, 4, 5].map((i) => group.submit(i)));
    fail = true;
    const failed = await Promise.allSettled([group.submit(6), group.submit(7)]);

    expect(answers).toEqual(['ok1', 'ok2', 'ok3', 'ok4', 'ok5']);
    expect(writes.slice(0, 3)).toEqual([[1], [2, 3, 4], [5]]);
    expect(failed.map((f) => f.status === 'rejected' && (f.reason as Error).message)).toEqual(['outage', 'outage']);
  });
});
