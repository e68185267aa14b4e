import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, HeadBucketCommand, PutBucketCorsCommand, type S3Client } from '@aws-sdk/client-s3';
import { DATASETS_BUCKET_DEFINITION } from './s3/bucket-definition.ts';
import { createTableInput } from './dynamo/table-definition.ts';

/** Creates the table from the shared definition unless it exists (local runtime and tests). */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
  }
  await client.send(new CreateTableCommand(createTableInput(tableName)));
}

/** Creates the bucket unless it exists and (re)applies the CORS rule the cloud bucket declares. */
export async function ensureBucket(client: S3Client, bucket: string): Promise<void> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  }
  const { cors } = DATASETS_BUCKET_DEFINITION;
  const rule = {
    AllowedMethods: [...cors.allowedMethods],
    AllowedOrigins: [...cors.allowedOrigins],
    AllowedHeaders: [...cors.allowedHeaders],
    ExposeHeaders: [...cors.exposedHeaders],
    MaxAgeSeconds: cors.maxAgeSeconds,
  };
  await client.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: [rule] } }));
}
