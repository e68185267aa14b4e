import { createHash, randomUUID } from 'node:crypto';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { DynamoCatalogueStore } from '../../functions/adapters/dynamo/catalogue-store.ts';
import { DynamoContractStore } from '../../functions/adapters/dynamo/contract-store.ts';
import { createS3Client } from '../../functions/adapters/s3/client.ts';
import { S3ObjectStore } from '../../functions/adapters/s3/object-store.ts';
import { AuditTrail } from '../../functions/domain/audit/audit-trail.ts';
import { CatalogueService } from '../../functions/domain/catalogue/catalogue-service.ts';
import { VersionsService } from '../../functions/domain/catalogue/versions-service.ts';
import { systemClock, ulidGenerator } from '../../functions/domain/ids.ts';
import { BENCH_FIELDS, generatedCsv, ingestInChild, putParts } from '../../bench/ingest-harness.ts';
import { createTestTable, type TestTable } from '../support/emulators.ts';
import { bootstrapOfficer, servicesOn } from '../support/services.ts';

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

  it('publishes the right checksum while the ingesting process stays under 150 MB RSS', async () => {
    // Arrange: an operator's dataset and a 200 MB version uploaded part by part
    const s = servicesOn(table);
    const { officer } = await bootstrapOfficer(s.identity);
    const { adminKey } = await s.identity.createPartner(officer, { name: 'Régie', kind: 'dsp', contactEmail: 'r@regie.example' });
    const operator = (await s.identity.authenticate(`Bearer ${adminKey.key}`))!;
    const ids = ulidGenerator(systemClock);
    const audit = new AuditTrail({ clock: systemClock, ids });
    const store = new DynamoCatalogueStore(table.db, table.tableName);
    const contracts = new DynamoContractStore(table.db, table.tableName);
    const catalogue = new CatalogueService({ store, identity: s.identityStore, contracts, audit, clock: systemClock, ids });
    const versions = new VersionsService({ store, objects: new S3ObjectStore(s3, bucket), catalogue, audit, clock: systemClock });
    const dataset = await catalogue.create(operator, { title: 'Compteurs', description: 'Gros fichier', theme: 'water', keywords: [], classification: 'shared', format: 'csv', schema: { fields: BENCH_FIELDS } });
    const csv = generatedCsv(200 * MB);
    const expected = createHash('sha256');
    for await (const chunk of csv.stream()) expected.update(chunk as Buffer);
    const started = await versions.create(operator, dataset.id, { bytes: csv.size });
    if (!('partSize' in started.upload)) throw new Error('expected a multipart upload');
    const firstParts = new Map(started.upload.parts.map((p) => [p.partNumber, p.url]));
    const parts = await putParts(csv.stream(), started.upload.partSize, async (n) => firstParts.get(n)!);
    await versions.complete(operator, dataset.id, 1, { parts });

    // Act: ingest alone in a child process
    const result = await ingestInChild(
      { TABLE_NAME: table.tableName, BUCKET_NAME: bucket, COMPTOIR_DYNAMODB_ENDPOINT: table.endpoint, COMPTOIR_S3_ENDPOINT: inject('s3Endpoint'), POWERTOOLS_LOG_LEVEL: 'SILENT' },
      dataset.id,
      1,
    );

    // Assert
    expect(result.outcome).toBe('published');
    expect(result.peakRssBytes).toBeLessThan(150 * MB);
    const version = await versions.get(operator, dataset.id, 1);
    expect(version).toMatchObject({ status: 'published', bytes: csv.size, sha256: expected.digest('hex'), quality: { errorCount: 0 } });
    expect(version.rows).toBeGreaterThan(2_000_000);
  }, 180_000);
});
