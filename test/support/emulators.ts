import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { createDocumentClient, type DynamoDBDocumentClient } from '../../functions/adapters/dynamo/client.ts';
import { ensureTable } from '../../functions/adapters/provisioning.ts';

export interface TestTable {
  readonly tableName: string;
  readonly db: DynamoDBDocumentClient;
  readonly endpoint: string;
  drop(): Promise<void>;
}

/** A fresh table (the production definition) in the shared DynamoDB Local, isolated per test file. */
export async function createTestTable(): Promise<TestTable> {
  const endpoint = inject('dynamoEndpoint');
  const tableName = `t-${randomUUID()}`;
  const raw = new DynamoDBClient({ endpoint });
  await ensureTable(raw, tableName);
  const db = createDocumentClient({ endpoint });
  return {
    tableName,
    db,
    endpoint,
    drop: async () => {
      await raw.send(new DeleteTableCommand({ TableName: tableName }));
      raw.destroy();
      db.destroy();
    },
  };
}
