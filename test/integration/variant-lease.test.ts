import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAccessStore } from '../../functions/adapters/dynamo/access-store.ts';
import { createTestTable, type TestTable } from '../support/emulators.ts';

const T0 = '2026-03-01T10:00:00.000Z';
const LEASE_1 = '2026-03-01T10:15:00.000Z';
const T_LAPSED = '2026-03-01T10:20:00.000Z';
const LEASE_2 = '2026-03-01T10:35:00.000Z';
const RESULT = { bytes: 10, rowsIn: 2, rowsOut: 1, builtAt: T_LAPSED };

/** The build lease of an enforced variant on DynamoDB Local: only its holder marks the variant ready or failed. */
describe('variant build lease (DynamoDB Local)', () => {
  let table: TestTable;
  let store: DynamoAccessStore;

  beforeAll(async () => {
    table = await createTestTable();
    store = new DynamoAccessStore(table.db, table.tableName);
  });
  afterAll(() => table.drop());

  it('lets the builder holding the lease mark its variant failed, with the reason', async () => {
    // Arrange
    const key = 'derived/ds1/v1/held.csv';
    expect(await store.acquireLease(key, T0, LEASE_1)).toBe(true);
    // Act
    const failed = await store.failVariant(key, LEASE_1, 'the zone layer is missing');
    // Assert
    expect(failed).toBe(true);
    expect(await store.getVariant(key)).toMatchObject({ status: 'failed', error: 'the zone layer is missing' });
    expect((await store.getVariant(key))?.leaseUntil).toBeUndefined();
  });

  it('ignores a builder whose lease lapsed: the variant another builder made ready stays ready', async () => {
    // Arrange: the first builder stalls, a second takes the lapsed lease and finishes
    const key = 'derived/ds1/v1/lapsed.csv';
    expect(await store.acquireLease(key, T0, LEASE_1)).toBe(true);
    expect(await store.acquireLease(key, T_LAPSED, LEASE_2)).toBe(true);
    expect(await store.completeVariant(key, LEASE_2, RESULT)).toBe(true);
    // Act: the first builder wakes up and fails
    const failed = await store.failVariant(key, LEASE_1, 'timed out');
    // Assert
    expect(failed).toBe(false);
    expect(await store.getVariant(key)).toMatchObject({ status: 'ready', bytes: 10 });
  });

  it('ignores a lapsed builder while another still builds, and never writes a variant that is gone', async () => {
    // Arrange
    const key = 'derived/ds1/v1/rebuilding.csv';
    expect(await store.acquireLease(key, T0, LEASE_1)).toBe(true);
    expect(await store.acquireLease(key, T_LAPSED, LEASE_2)).toBe(true);
    // Act
    const lapsed = await store.failVariant(key, LEASE_1, 'timed out');
    const dropped = await store.failVariant('derived/ds1/v1/purged.csv', LEASE_1, 'purged meanwhile');
    // Assert
    expect([lapsed, dropped]).toEqual([false, false]);
    expect(await store.getVariant(key)).toMatchObject({ status: 'building', leaseUntil: LEASE_2 });
    expect(await store.getVariant('derived/ds1/v1/purged.csv')).toBeUndefined();
  });
});
