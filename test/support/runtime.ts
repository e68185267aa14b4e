import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { seedDemoTerritory, type DemoKeys } from '../../infra/local/demo-territory.ts';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.ts';

export interface TestRuntime {
  readonly runtime: LocalRuntime;
  readonly keys: DemoKeys;
  /** The runtime's table in the shared DynamoDB Local, for tests that plant items a crash would leave. */
  readonly tableName: string;
  /** fetch against the runtime, with a key and extra request headers when given. */
  call(method: string, path: string, options?: { key?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Headers }>;
  stop(): Promise<void>;
}

/** The local runtime on a fresh table of the shared emulators, seeded with the demo territory. */
export async function startTestRuntime(options: { duplicateBusDeliveries?: boolean; webhookRetryEveryMs?: number; consoleDir?: string; startsReady?: boolean } = {}): Promise<TestRuntime> {
  const tableName = `e2e-${randomUUID()}`;
  const dir = await mkdtemp(join(tmpdir(), 'comptoir-e2e-'));
  const runtime = await startLocalRuntime({
    dynamoEndpoint: inject('dynamoEndpoint'),
    s3Endpoint: inject('s3Endpoint'),
    tableName,
    bucketName: `b-${randomUUID().slice(0, 18)}`,
    signingKeyPath: join(dir, 'signing-key.pem'),
    port: 0,
    ...options,
  });
  const { identityService } = await import('../../functions/wiring/identity.ts');
  const keys = (await seedDemoTerritory(identityService, join(dir, 'demo-keys.json')))!.keys;
  await runtime.settle();
  return {
    runtime,
    keys,
    tableName,
    call: async (method, path, options = {}) => {
      const res = await fetch(runtime.url + path, {
        method,
        headers: {
          ...options.headers,
          ...(options.key ? { authorization: `Bearer ${options.key}` } : {}),
          ...(options.body !== undefined || options.rawBody !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(options.rawBody !== undefined ? { body: options.rawBody } : options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
    },
    stop: async () => {
      await runtime.close();
      const client = new DynamoDBClient({ endpoint: inject('dynamoEndpoint') });
      await client.send(new DeleteTableCommand({ TableName: tableName }));
      client.destroy();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
