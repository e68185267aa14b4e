import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchGetAll } from '../../functions/adapters/dynamo/batch-get.ts';
import { createTestTable, type TestTable } from '../support/emulators.ts';

/** The table's client, every BatchGetItem input kept. */
function recording(db: DynamoDBDocumentClient) {
  const inputs: BatchGetCommand['input'][] = [];
  const client = {
    send: (command: unknown) => {
      if (command instanceof BatchGetCommand) inputs.push(command.input);
      return db.send(command as never);
    },
  } as unknown as DynamoDBDocumentClient;
  return { client, inputs };
}

/** Batch reads of any number of keys on DynamoDB Local (the unprocessed-keys rounds are tested through the signature context reader). */
describe('batchGetAll (DynamoDB Local)', () => {
  let table: TestTable;
  const key = (i: number) => ({ pk: `ITEM#${i}`, sk: 'ITEM' });

  beforeAll(async () => {
    table = await createTestTable();
    for (let i = 0; i < 200; i += 25) {
      const puts = Array.from({ length: 25 }, (_, j) => ({ PutRequest: { Item: { ...key(i + j), n: i + j } } }));
      await table.db.send(new BatchWriteCommand({ RequestItems: { [table.tableName]: puts } }));
    }
  });
  afterAll(() => table.drop());

  it('reads any number of keys a hundred a request, answering the items that exist', async () => {
    // Arrange: 200 items written, 30 keys of none
    const { client, inputs } = recording(table.db);
    const keys = Array.from({ length: 230 }, (_, i) => key(i));
    // Act
    const items = await batchGetAll(client, table.tableName, keys, { consistent: true });
    // Assert
    expect(inputs.map((i) => i.RequestItems![table.tableName]!.Keys!.length)).toEqual([100, 100, 30]);
    expect(inputs.every((i) => i.RequestItems![table.tableName]!.ConsistentRead === true)).toBe(true);
    expect(items.map((i) => i.n).sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });

  it('reads eventually consistent when asked to, and asks nothing for no keys', async () => {
    const { client, inputs } = recording(table.db);
    expect(await batchGetAll(client, table.tableName, [key(1), key(2)], { consistent: false })).toHaveLength(2);
    expect(inputs[0]!.RequestItems![table.tableName]!.ConsistentRead).toBeUndefined();
    expect(await batchGetAll(client, table.tableName, [], { consistent: true })).toEqual([]);
    expect(inputs).toHaveLength(1);
  });
});
