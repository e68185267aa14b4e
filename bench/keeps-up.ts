// Only the sequencer and burst scenarios of `npm run bench`: node --openssl-legacy-provider --import tsx bench/keeps-up.ts
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDynamoDbLocal } from '../infra/local/dynamodb-local.ts';
import { seedDemoTerritory } from '../infra/local/demo-territory.ts';
import { startLocalRuntime } from '../infra/local/runtime.ts';
import { startS3Emulator } from '../infra/local/s3-emulator.ts';
import { benchBurst } from './burst.ts';
import { benchSequencer } from './sequencer.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const dir = await mkdtemp(join(tmpdir(), 'comptoir-bench-'));
const [dynamo, s3] = await Promise.all([startDynamoDbLocal(), startS3Emulator({ directory: join(dir, 's3') })]);
try {
  const runtime = await startLocalRuntime({ dynamoEndpoint: dynamo.endpoint, s3Endpoint: s3.endpoint, tableName: 'bench', bucketName: 'bench', signingKeyPath: join(dir, 'signing-key.pem'), port: 0 });
  const { identityService } = await import('../functions/wiring/identity.ts');
  const keys = (await seedDemoTerritory(identityService, join(dir, 'keys.json')))!.keys;
  await runtime.settle();
  // After the runtime: it sets the local credentials the SDK needs.
  await benchSequencer(dynamo.endpoint, Number(process.env.BENCH_SEQUENCER_EVENTS ?? 3000));
  await benchBurst(runtime, keys);
  await runtime.close();
} finally {
  await Promise.all([dynamo.stop(), s3.stop()]);
  await rm(dir, { recursive: true, force: true });
}
