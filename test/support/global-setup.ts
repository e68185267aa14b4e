import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal, type RunningDynamoDb } from '../../infra/local/dynamodb-local.ts';
import { startS3Emulator, type RunningS3 } from '../../infra/local/s3-emulator.ts';
import { buildCli } from '../../scripts/build-cli.ts';
import { buildConsole } from './browser.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** One DynamoDB Local per test worker: each JVM serialises its writes, so one shared by every worker queues them all. */
    dynamoEndpoints: string[];
    s3Endpoint: string;
    /** The console, built once for every browser test. */
    consoleDir: string;
  }
}

// The pinned SDK's Node 20 notice would repeat in every worker.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

let dynamos: RunningDynamoDb[] = [];
let s3: RunningS3 | undefined;
let s3Dir: string | undefined;
let consoleDir: string | undefined;

/**
 * One DynamoDB Local (in memory) per worker and one S3 emulator for the whole run; each test file makes its own
 * table. The CLI and the console are built once, from the sources under test, so the tests run what ships.
 */
export async function setup(project: TestProject): Promise<void> {
  s3Dir = await mkdtemp(join(tmpdir(), 'comptoir-s3-'));
  const workers = Math.max(1, Number(project.config.maxWorkers) || 1);
  const started = await Promise.all([Promise.all(Array.from({ length: workers }, () => startDynamoDbLocal())), startS3Emulator({ directory: s3Dir }), buildConsole(), buildCli()]);
  [dynamos, s3, consoleDir] = started;
  project.provide('consoleDir', consoleDir);
  project.provide('dynamoEndpoints', dynamos.map((d) => d.endpoint));
  project.provide('s3Endpoint', s3.endpoint);
}

export async function teardown(): Promise<void> {
  await Promise.all([...dynamos.map((d) => d.stop()), s3?.stop()]);
  await Promise.all([s3Dir, consoleDir].filter((d) => d !== undefined).map((d) => rm(d, { recursive: true, force: true })));
}
