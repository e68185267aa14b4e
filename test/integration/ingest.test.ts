import { createHash, randomUUID } from 'node:crypto';
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoAccessStore } from '../../functions/adapters/dynamo/access-store.ts';
import { DynamoCatalogueStore } from '../../functions/adapters/dynamo/catalogue-store.ts';
import { DynamoContractStore } from '../../functions/adapters/dynamo/contract-store.ts';
import { DynamoDatasetChangeStore } from '../../functions/adapters/dynamo/dataset-change-store.ts';
import { DynamoLicenceStore } from '../../functions/adapters/dynamo/licence-store.ts';
import { createS3Client } from '../../functions/adapters/s3/client.ts';
import { S3ObjectStore } from '../../functions/adapters/s3/object-store.ts';
import { S3ObjectWriter } from '../../functions/adapters/s3/object-writer.ts';
import { AuditTrail } from '../../functions/domain/audit/audit-trail.ts';
import { CatalogueService } from '../../functions/domain/catalogue/catalogue-service.ts';
import { IngestService } from '../../functions/domain/catalogue/ingest-service.ts';
import { VersionsService } from '../../functions/domain/catalogue/versions-service.ts';
import { systemClock, ulidGenerator } from '../../functions/domain/ids.ts';
import type { Principal } from '../../functions/domain/model.ts';
import { createTestTable, type TestTable } from '../support/emulators.ts';
import { bootstrapOfficer, servicesOn } from '../support/services.ts';

const CSV = Buffer.from('station,count\nNord,1\nSud,2\n');

describe('ingest on the emulators', () => {
  let table: TestTable;
  const bucket = `ingest-${randomUUID().slice(0, 8)}`;
  const s3 = createS3Client({ endpoint: inject('s3Endpoint') });
  let operator: Principal;
  let catalogue: CatalogueService;
  let versions: VersionsService;
  let ingest: IngestService;
  let store: DynamoCatalogueStore;

  beforeAll(async () => {
    table = await createTestTable();
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const s = servicesOn(table);
    const { officer } = await bootstrapOfficer(s.identity);
    const { adminKey } = await s.identity.createPartner(officer, { name: 'Régie', kind: 'dsp', contactEmail: 'r@regie.example' });
    operator = (await s.identity.authenticate(`Bearer ${adminKey.key}`))!;
    const ids = ulidGenerator(systemClock);
    const audit = new AuditTrail({ clock: systemClock, ids });
    store = new DynamoCatalogueStore(table.db, table.tableName);
    const contracts = new DynamoContractStore(table.db, table.tableName);
    const objects = new S3ObjectStore(s3, bucket);
    catalogue = new CatalogueService({ store, identity: s.identityStore, contracts, changes: new DynamoDatasetChangeStore(table.db, table.tableName), audit, clock: systemClock, ids });
    versions = new VersionsService({ store, contracts, variants: new DynamoAccessStore(table.db, table.tableName), licensees: new DynamoLicenceStore(table.db, table.tableName), objects, catalogue, audit, clock: systemClock });
    ingest = new IngestService({ store, objects, writer: new S3ObjectWriter(s3, bucket), contracts, audit, clock: systemClock, ids });
  });
  afterAll(async () => {
    s3.destroy();
    await table.drop();
  });

  /** A dataset with one version uploaded and completed, waiting for ingest. */
  async function completedVersion(): Promise<{ datasetId: string; url: string }> {
    const dataset = await catalogue.create(operator, { title: 'Compteurs', description: 'x', theme: 'water', keywords: [], classification: 'shared', format: 'csv', schema: { fields: [{ name: 'station', type: 'string' }, { name: 'count', type: 'integer' }] } });
    const started = await versions.create(operator, dataset.id, { bytes: CSV.length });
    if (!('url' in started.upload)) throw new Error('expected a single PUT');
    expect((await fetch(started.upload.url, { method: 'PUT', body: CSV })).status).toBe(200);
    await versions.complete(operator, dataset.id, 1, {});
    return { datasetId: dataset.id, url: started.upload.url };
  }

  const objectsUnder = async (prefix: string) => (await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))).Contents?.length ?? 0;

  it('never publishes bytes put through the upload URL after the upload was completed', async () => {
    const { datasetId, url } = await completedVersion();
    const swapped = Buffer.from('station,count\nEvil,9\nSud,2\n');
    expect(swapped.length).toBe(CSV.length);
    expect((await fetch(url, { method: 'PUT', body: swapped })).status).toBe(200);

    expect(await ingest.ingest(datasetId, 1)).toBe('rejected');

    expect(await versions.get(operator, datasetId, 1)).toMatchObject({ status: 'rejected', reason: expect.stringContaining('replaced after the upload was completed') });
    expect(await objectsUnder(`versions/${datasetId}/`)).toBe(0);
  });

  it('publishes once, with its object intact, when the same upload is ingested twice at once', async () => {
    const { datasetId } = await completedVersion();

    const outcomes = await Promise.all([ingest.ingest(datasetId, 1), ingest.ingest(datasetId, 1)]);

    expect(outcomes.filter((o) => o === 'published')).toHaveLength(1);
    const version = await versions.get(operator, datasetId, 1);
    expect(version).toMatchObject({ status: 'published', sha256: createHash('sha256').update(CSV).digest('hex') });
    expect(await objectsUnder(`versions/${datasetId}/`)).toBe(1);
    expect(await objectsUnder(`incoming/${datasetId}/`)).toBe(0);
  });

  it('rejects a replaced upload even when S3 itself was written directly', async () => {
    const { datasetId } = await completedVersion();
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `incoming/${datasetId}/v1`, Body: Buffer.from('station,count\nNord,1\nSud,3\n') }));
    expect(await ingest.ingest(datasetId, 1)).toBe('rejected');
  });

  it('refuses the publication of an ingest whose lease lapsed and was taken over by a newer attempt', async () => {
    const { datasetId } = await completedVersion();
    const at = (minutes: number) => new Date(Date.UTC(2020, 0, 1, 0, minutes)).toISOString();
    // A first attempt whose lease has long lapsed (it was killed), then the re-driven one.
    const stale = await store.claimIngest(datasetId, 1, at(0), at(15), at(20));
    const current = await store.claimIngest(datasetId, 1, at(30), new Date(Date.now() + 60_000).toISOString(), at(50));
    expect([stale, current]).toEqual([1, 2]);
    const version = (await store.getVersion(datasetId, 1))!;
    const published = { ...version, status: 'published' as const, publishedAt: at(31), objectKey: `versions/${datasetId}/v1/x` };

    await expect(store.publish({ version: published, claim: stale!, previousLatest: undefined, events: [] })).rejects.toMatchObject({ code: 'version_state_changed' });
    await store.publish({ version: published, claim: current!, previousLatest: undefined, events: [] });
    expect((await store.getVersion(datasetId, 1))?.status).toBe('published');
  });
});
