import { randomUUID } from 'node:crypto';
import { CreateBucketCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoCatalogueStore } from '../../functions/adapters/dynamo/catalogue-store.ts';
import { createS3Client } from '../../functions/adapters/s3/client.ts';
import { ingestInChild, prepareValidatingVersion } from '../../bench/ingest-harness.ts';
import { parquetKeyOf } from '../../functions/domain/query/columnar.ts';
import { createTestTable, type TestTable } from '../support/emulators.ts';

const MB = 1024 * 1024;

describe('ingest of a 200 MB CSV', () => {
  let table: TestTable;
  const bucket = `ingest-${randomUUID().slice(0, 8)}`;
  const s3 = createS3Client({ endpoint: inject('s3Endpoint') });

  beforeAll(async () => {
    table = await createTestTable();
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  afterAll(async () => {
    s3.destroy();
    await table.drop();
  });

  it('publishes the right checksum, leaving the Parquet copy to its own job, while the ingesting process stays under 150 MB RSS', async () => {
    // Arrange: a 200 MB version uploaded part by part, waiting in `validating`
    const prepared = await prepareValidatingVersion({ db: table.db, tableName: table.tableName, s3, bucket, bytes: 200 * MB });

    // Act: ingest alone in a child process
    const result = await ingestInChild(
      { TABLE_NAME: table.tableName, BUCKET_NAME: bucket, COMPTOIR_DYNAMODB_ENDPOINT: table.endpoint, COMPTOIR_S3_ENDPOINT: inject('s3Endpoint'), POWERTOOLS_LOG_LEVEL: 'SILENT' },
      prepared.datasetId,
      prepared.version,
    );

    // Assert
    expect(result.outcome).toBe('published');
    expect(result.peakRssBytes).toBeLessThan(150 * MB);
    const version = await new DynamoCatalogueStore(table.db, table.tableName).getVersion(prepared.datasetId, prepared.version);
    expect(version).toMatchObject({ status: 'published', bytes: prepared.size, sha256: prepared.sha256, quality: { errorCount: 0 } });
    expect(version!.rows).toBeGreaterThan(2_000_000);
    // The Parquet copy is not made here: it is the published event's job, so validation keeps its bound.
    await expect(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: parquetKeyOf(version!.objectKey!) }))).rejects.toMatchObject({ name: 'NotFound' });
  }, 180_000);
});
