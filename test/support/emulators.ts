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

/** This worker's DynamoDB Local: workers run one file at a time, so a file has its JVM to itself. */
export function dynamoEndpoint(): string {
  const endpoints = inject('dynamoEndpoints');
  const worker = Number(process.env.VITEST_POOL_ID ?? 1);
  return endpoints[(worker - 1) % endpoints.length]!;
}

/** A fresh table (the production definition) in this worker's DynamoDB Local, isolated per test file. */
export async function createTestTable(): Promise<TestTable> {
  const endpoint = dynamoEndpoint();
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
