import { DynamoTableProbe } from '../adapters/dynamo/table-probe.ts';
import { S3BucketProbe } from '../adapters/s3/bucket-probe.ts';
import { probeTimeoutMs } from '../adapters/sdk-timeouts.ts';
import { Readiness } from '../domain/health/readiness.ts';
import { clock } from './core.ts';
import { bucketName, s3Client } from './storage.ts';
import { optionalEnv } from './env.ts';
import { documentClient, tableName } from './table.ts';

/** The readiness check of this process: the table and the datasets bucket. */
export const readiness = new Readiness({
  probes: {
    table: new DynamoTableProbe(documentClient, tableName, probeTimeoutMs({ emulator: optionalEnv('COMPTOIR_DYNAMODB_ENDPOINT') !== undefined })),
    bucket: new S3BucketProbe(s3Client, bucketName, probeTimeoutMs({ emulator: optionalEnv('COMPTOIR_S3_ENDPOINT') !== undefined })),
  },
  clock,
});
