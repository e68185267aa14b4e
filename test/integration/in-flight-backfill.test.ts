import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCatalogueStore } from '../../functions/adapters/dynamo/catalogue-store.ts';
import { backfillVersionSweepDeadlines } from '../../functions/adapters/dynamo/in-flight-backfill.ts';
import { versionKey } from '../../functions/adapters/dynamo/keys.ts';
import { createTestTable, type TestTable } from '../support/emulators.ts';

const NOW = new Date('2027-03-01T10:00:00Z');
const HOUR = 3600_000;

describe('versions left in flight before the sweeper existed', () => {
  let table: TestTable;
  beforeAll(async () => {
    table = await createTestTable();
  });
  afterAll(() => table.drop());

  /** A version item as an older release wrote it: no sweep deadline, no index entry. */
  const storeOld = (datasetId: string, version: number, status: string) =>
    table.db.send(new PutCommand({ TableName: table.tableName, Item: { ...versionKey(datasetId, version), datasetId, version, status, createdAt: '2027-02-01T00:00:00Z' } }));
  const item = async (datasetId: string, version: number) => (await table.db.send(new GetCommand({ TableName: table.tableName, Key: versionKey(datasetId, version), ConsistentRead: true }))).Item!;

  it('gives each a full window from now, once, and the sweeper finds them when it ends; settled versions are left alone', async () => {
    // Arrange
    await Promise.all([storeOld('dst_a', 1, 'validating'), storeOld('dst_b', 1, 'uploading'), storeOld('dst_c', 1, 'published')]);
    const store = new DynamoCatalogueStore(table.db, table.tableName);

    // Act
    const first = await backfillVersionSweepDeadlines(table.db, table.tableName, () => NOW);
    const second = await backfillVersionSweepDeadlines(table.db, table.tableName, () => new Date(NOW.getTime() + HOUR));

    // Assert: a live ingest or upload keeps its whole window; nothing due before it ends
    expect(first).toEqual({ versions: 2, skipped: false });
    expect(second).toEqual({ versions: 0, skipped: true });
    expect((await item('dst_a', 1)).sweepAt).toBe('2027-03-01T10:20:00.000Z');
    expect((await item('dst_b', 1)).sweepAt).toBe('2027-03-01T11:05:00.000Z');
    expect((await item('dst_c', 1)).sweepAt).toBeUndefined();
    expect(await store.versionsToSweep(NOW.toISOString(), 10)).toEqual([]);
    expect(await store.versionsToSweep('2027-03-01T10:20:00.000Z', 10)).toEqual([{ datasetId: 'dst_a', version: 1 }]);
    expect(await store.versionsToSweep('2027-03-01T12:00:00.000Z', 10)).toEqual([{ datasetId: 'dst_a', version: 1 }, { datasetId: 'dst_b', version: 1 }]);
  });
});
