import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal, type RunningDynamoDb } from '../../infra/local/dynamodb-local.ts';
import { startS3Emulator, type RunningS3 } from '../../infra/local/s3-emulator.ts';
import { buildCli } from '../../scripts/build-cli.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    s3Endpoint: string;
  }
}

// The pinned SDK's Node 20 notice would repeat in every worker.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

let dynamo: RunningDynamoDb | undefined;
let s3: RunningS3 | undefined;
let s3Dir: string | undefined;

/**
 * One DynamoDB Local (in memory) and one S3 emulator for the whole run; each test file makes its own table.
 * The CLI is bundled once, from the sources under test, so test/cli runs what ships.
 */
export async function setup(project: TestProject): Promise<void> {
  s3Dir = await mkdtemp(join(tmpdir(), 'comptoir-s3-'));
  [dynamo, s3] = await Promise.all([startDynamoDbLocal(), startS3Emulator({ directory: s3Dir }), buildCli()]);
  project.provide('dynamoEndpoint', dynamo.endpoint);
  project.provide('s3Endpoint', s3.endpoint);
}

export async function teardown(): Promise<void> {
  await Promise.all([dynamo?.stop(), s3?.stop()]);
  if (s3Dir) await rm(s3Dir, { recursive: true, force: true });
}
