import { BatchGetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCatalogueStore } from '../../functions/adapters/dynamo/catalogue-store.ts';
import { DynamoIdentityStore } from '../../functions/adapters/dynamo/identity-store.ts';
import { DynamoLicenceStore } from '../../functions/adapters/dynamo/licence-store.ts';
import { DynamoPolicyStore } from '../../functions/adapters/dynamo/policy-store.ts';
import { DynamoSignatureContextReader } from '../../functions/adapters/dynamo/signature-context-reader.ts';
import { DependencyError } from '../../functions/domain/errors.ts';
import { createTestTable, type TestTable } from '../support/emulators.ts';

const AT = '2026-03-01T10:00:00.000Z';
const names = { offerId: 'off1', licenseeId: 'prt1', datasetId: 'ds1' };
const noWait = async () => {};

/**
 * The table's client seen through `answer`, which may replace what a BatchGetItem gets back: the faults DynamoDB
 * Local never produces (unprocessed keys under throttling, a failed call). Every BatchGetItem input is kept.
 */
function throughFaults(db: DynamoDBDocumentClient, answer?: (input: BatchGetCommand['input'], round: number) => Promise<unknown> | undefined) {
  const inputs: BatchGetCommand['input'][] = [];
  const client = {
    send: (command: unknown) => {
      if (!(command instanceof BatchGetCommand)) return db.send(command as never);
      inputs.push(command.input);
      return answer?.(command.input, inputs.length - 1) ?? db.send(command);
    },
  } as unknown as DynamoDBDocumentClient;
  return { client, inputs };
}

describe('the signature context in one BatchGetItem (DynamoDB Local)', () => {
  let table: TestTable;

  beforeAll(async () => {
    table = await createTestTable();
    const put = (item: Record<string, unknown>) => table.db.send(new PutCommand({ TableName: table.tableName, Item: item }));
    // The items as their stores lay them out, index attributes included: the reader must leave those out as the stores do.
    await Promise.all([
      put({ pk: 'OFFER#off1', sk: 'OFFER', id: 'off1', offerId: 'off1', datasetId: 'ds1', state: 'open', ownerId: 'prt9', audience: ['private'], clauses: [], price: { credits: 10 }, gsi1pk: 'DATASET#ds1#OFFERS', gsi1sk: 'off1', gsi2pk: 'OFFERS', gsi2sk: 'off1' }),
      put({ pk: 'PARTNER#prt1', sk: 'PARTNER', id: 'prt1', name: 'Firme', kind: 'private', contactEmail: 'f@firme.example', createdAt: AT, gsi1pk: 'PARTNERS', gsi1sk: 'prt1' }),
      put({ pk: 'DATASET#ds1', sk: 'DATASET', id: 'ds1', title: 'Comptages', theme: 'mobility', classification: 'shared', ownerId: 'prt9', nextVersion: 1, gsi2pk: 'THEME#mobility', gsi2sk: AT }),
      put({ pk: 'POLICY', sk: 'CURRENT', version: 3, rules: [{ id: 'r1', when: {}, then: [] }], updatedAt: AT, updatedBy: 'key1' }),
    ]);
  });
  afterAll(async () => table.drop());

  it('answers what the offer, partner, catalogue and policy stores answer one by one, in one strongly consistent request', async () => {
    // Arrange
    const { client, inputs } = throughFaults(table.db);
    const reader = new DynamoSignatureContextReader(client, table.tableName);

    // Act
    const context = await reader.read(names);

    // Assert
    expect(context).toEqual({
      offer: await new DynamoLicenceStore(table.db, table.tableName).getOffer('off1'),
      licensee: await new DynamoIdentityStore(table.db, table.tableName).getPartner('prt1'),
      dataset: await new DynamoCatalogueStore(table.db, table.tableName).getDataset('ds1'),
      policy: await new DynamoPolicyStore(table.db, table.tableName).getPolicy(),
    });
    expect(context.offer).toMatchObject({ id: 'off1', state: 'open' });
    expect(context.offer).not.toHaveProperty('gsi1pk');
    expect(context.dataset).toMatchObject({ id: 'ds1', theme: 'mobility' });
    expect(context.policy.version).toBe(3);
    expect(inputs).toHaveLength(1);
    expect(inputs[0]!.RequestItems![table.tableName]).toMatchObject({ ConsistentRead: true });
    expect(inputs[0]!.RequestItems![table.tableName]!.Keys).toHaveLength(4);
  });

  it('answers undefined for each missing item, and the empty policy of version 0 when none was ever written', async () => {
    // Arrange
    const empty = await createTestTable();
    try {
      // Act
      const context = await new DynamoSignatureContextReader(empty.db, empty.tableName).read(names);

      // Assert
      expect(context).toEqual({ offer: undefined, licensee: undefined, dataset: undefined, policy: { version: 0, rules: [] } });
    } finally {
      await empty.drop();
    }
  });

  it('asks again for the keys left unprocessed, and only for those, until every item is read', async () => {
    // Arrange: the first two rounds each process one key and leave the others, as a throttled BatchGetItem does.
    const { client, inputs } = throughFaults(table.db, (input, round) => {
      if (round >= 2) return undefined;
      const [first, ...rest] = input.RequestItems![table.tableName]!.Keys!;
      return table.db
        .send(new BatchGetCommand({ RequestItems: { [table.tableName]: { Keys: [first!], ConsistentRead: true } } }))
        .then((out) => ({ ...out, UnprocessedKeys: { [table.tableName]: { Keys: rest, ConsistentRead: true } } }));
    });
    const reader = new DynamoSignatureContextReader(client, table.tableName, noWait);

    // Act
    const context = await reader.read(names);

    // Assert
    expect(inputs.map((i) => i.RequestItems![table.tableName]!.Keys!.length)).toEqual([4, 3, 2]);
    expect(inputs.every((i) => i.RequestItems![table.tableName]!.ConsistentRead === true)).toBe(true);
    expect(context.offer?.id).toBe('off1');
    expect(context.licensee?.id).toBe('prt1');
    expect(context.dataset?.id).toBe('ds1');
    expect(context.policy.version).toBe(3);
  });

  it('gives up with a dependency error when keys stay unprocessed, instead of asking forever', async () => {
    // Arrange
    // Each answer after a turn of the event loop, as a real call: a reader asking forever then fails on the test's timeout.
    const { client, inputs } = throughFaults(table.db, async (input) => {
      await new Promise((resolve) => setImmediate(resolve));
      return { Responses: { [table.tableName]: [] }, UnprocessedKeys: { [table.tableName]: input.RequestItems![table.tableName] } };
    });
    const reader = new DynamoSignatureContextReader(client, table.tableName, noWait);

    // Act
    const failure = await reader.read(names).catch((e: unknown) => e);

    // Assert
    expect(failure).toBeInstanceOf(DependencyError);
    expect(inputs.length).toBeGreaterThan(1);
    expect(inputs.length).toBeLessThan(20);
  });

  it('translates a failed call into a dependency error that keeps its cause', async () => {
    // Arrange
    const throttled = Object.assign(new Error('Throughput exceeds the current capacity of your table'), { name: 'ProvisionedThroughputExceededException' });
    const { client } = throughFaults(table.db, () => Promise.reject(throttled));
    const reader = new DynamoSignatureContextReader(client, table.tableName, noWait);

    // Act
    const failure = await reader.read(names).catch((e: unknown) => e);

    // Assert
    expect(failure).toBeInstanceOf(DependencyError);
    expect((failure as Error).cause).toBe(throttled);
  });
});
