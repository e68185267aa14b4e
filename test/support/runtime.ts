import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { seedDemoTerritory, type DemoKeys } from '../../infra/local/demo-territory.ts';
import type { LocalOpenIdProvider } from '../../infra/local/openid-provider.ts';
import { startLocalRuntime, type LocalRuntime, type RouteExchange } from '../../infra/local/runtime.ts';
import { OpenApiContract, type ContractViolation } from './openapi-contract.ts';
import { dynamoEndpoint as workerDynamoEndpoint } from './emulators.ts';

export interface TestRuntime {
  readonly runtime: LocalRuntime;
  readonly keys: DemoKeys;
  /** Answers so far that break `/openapi.json`, from any client (`call` throws on its own at once). */
  readonly violations: ContractViolation[];
  /** The runtime's table in the shared DynamoDB Local, for tests that plant items a crash would leave. */
  readonly tableName: string;
  /** fetch against the runtime, with a key and extra request headers when given. */
  call(method: string, path: string, options?: { key?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Headers }>;
  stop(): Promise<void>;
}

/** The local runtime on a fresh table of the shared emulators, seeded with the demo territory. */
export async function startTestRuntime(
  testOptions: { openId?: LocalOpenIdProvider; dynamoEndpoint?: string; allowLoopbackWebhooks?: boolean; duplicateBusDeliveries?: boolean; checkpointEvery?: number; webhookRetryEveryMs?: number; consoleDir?: string; mailDir?: string; partnerAdminAcr?: string; startsReady?: boolean; amendDocument?: (document: Record<string, any>) => void } = {},
): Promise<TestRuntime> {
  // A test that injects faults brings its own DynamoDB Local; the others use their worker's.
  // Tests run their webhook receivers on plain http at 127.0.0.1, so they turn loopback webhooks on explicitly.
  const { amendDocument, openId, dynamoEndpoint = workerDynamoEndpoint(), allowLoopbackWebhooks = true, ...options } = testOptions;
  const tableName = `e2e-${randomUUID()}`;
  const dir = await mkdtemp(join(tmpdir(), 'comptoir-e2e-'));
  const violations: ContractViolation[] = [];
  let contract: OpenApiContract | undefined;
  const onResponse = (exchange: RouteExchange) => {
    const problems = contract?.check(exchange) ?? [];
    if (problems.length > 0) violations.push({ operation: exchange.routeId, request: `${exchange.method} ${exchange.url}`, status: exchange.status, problems, body: exchange.body?.toString('utf8').slice(0, 500) ?? '' });
  };
  const runtime = await startLocalRuntime({
    dynamoEndpoint,
    s3Endpoint: inject('s3Endpoint'),
    tableName,
    bucketName: `b-${randomUUID().slice(0, 18)}`,
    signingKeyPath: join(dir, 'signing-key.pem'),
    port: 0,
    onResponse,
    allowLoopbackWebhooks,
    ...(openId ? { openId: { issuer: openId.issuer, clientId: openId.clientId, clientSecret: openId.clientSecret } } : {}),
    ...options,
  });
  openId?.register(runtime.url);
  // Every answer is checked against the document clients download, not against the zod schemas behind it.
  const document = (await (await fetch(`${runtime.url}/openapi.json`)).json()) as Record<string, any>;
  amendDocument?.(document);
  contract = new OpenApiContract(document);
  const { identityService } = await import('../../functions/wiring/identity.ts');
  const keys = (await seedDemoTerritory(identityService, join(dir, 'demo-keys.json')))!.keys;
  await runtime.settle();
  return {
    runtime,
    keys,
    tableName,
    violations,
    call: async (method, path, options = {}) => {
      const before = violations.length;
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
      if (violations.length > before) throw new Error(`the answer breaks /openapi.json:\n${describe(violations.slice(before))}`);
      // JSON answers parsed; CSV, HTML or other text as it came.
      const json = /json/.test(res.headers.get('content-type') ?? 'application/json');
      return { status: res.status, body: text ? (json ? JSON.parse(text) : text) : undefined, headers: res.headers };
    },
    stop: async () => {
      await runtime.close();
      const client = new DynamoDBClient({ endpoint: dynamoEndpoint });
      await client.send(new DeleteTableCommand({ TableName: tableName }));
      client.destroy();
      await rm(dir, { recursive: true, force: true });
      if (violations.length > 0) throw new Error(`answers broke /openapi.json:\n${describe(violations)}`);
    },
  };
}

function describe(violations: ContractViolation[]): string {
  return violations.map((v) => `${v.request} → ${v.status} (${v.operation}): ${v.problems.join('; ')}\n  body: ${v.body}`).join('\n');
}
