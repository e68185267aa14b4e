import { BatchGetCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCatalogueStore } from '../../functions/adapters/dynamo/catalogue-store.ts';
import { datasetKey, versionKey } from '../../functions/adapters/dynamo/keys.ts';
import { createTestTable, type TestTable } from '../support/emulators.ts';

/** The catalogue's one-request read of a dataset and a version, on DynamoDB Local. */
describe('DynamoCatalogueStore.getDatasetAndVersion', () => {
  let table: TestTable;
  const inputs: BatchGetCommand['input'][] = [];
  let store: DynamoCatalogueStore;

  beforeAll(async () => {
    table = await createTestTable();
    const recording = { send: (command: unknown) => (command instanceof BatchGetCommand && inputs.push(command.input), table.db.send(command as never)) } as unknown as DynamoDBDocumentClient;
    store = new DynamoCatalogueStore(recording, table.tableName);
    await table.db.send(new PutCommand({ TableName: table.tableName, Item: { ...datasetKey('d'), id: 'd', format: 'csv', latestVersion: 2, gsi1pk: 'X', gsi1sk: 'd', searchText: 'x' } }));
    for (const version of [1, 2]) await table.db.send(new PutCommand({ TableName: table.tableName, Item: { ...versionKey('d', version), datasetId: 'd', version, status: 'published' } }));
  });
  afterAll(() => table.drop());

  it('answers the dataset and the version asked, without the table\'s own attributes, in one consistent request', async () => {
    inputs.length = 0;
    expect(await store.getDatasetAndVersion('d', 1)).toEqual({ dataset: { id: 'd', format: 'csv', latestVersion: 2 }, version: { datasetId: 'd', version: 1, status: 'published' } });
    expect(inputs).toHaveLength(1);
    expect(inputs[0]!.RequestItems![table.tableName]!.ConsistentRead).toBe(true);
  });

  it('answers what exists of the two', async () => {
    expect(await store.getDatasetAndVersion('d', 3)).toEqual({ dataset: { id: 'd', format: 'csv', latestVersion: 2 } });
    expect(await store.getDatasetAndVersion('e', 1)).toEqual({});
  });
});
