import { randomUUID } from 'node:crypto';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoCatalogueStore } from '../../functions/adapters/dynamo/catalogue-store.ts';
import { createS3Client } from '../../functions/adapters/s3/client.ts';
import { S3ObjectStore } from '../../functions/adapters/s3/object-store.ts';
import { AuditTrail } from '../../functions/domain/audit/audit-trail.ts';
import { uploadDeadline } from '../../functions/domain/catalogue/in-flight.ts';
import { InFlightSweeper } from '../../functions/domain/catalogue/in-flight-sweeper.ts';
import { systemClock, ulidGenerator } from '../../functions/domain/ids.ts';
import type { DatasetRecord, VersionRecord } from '../../functions/ports/catalogue.ts';
import { createTestTable, type TestTable } from '../support/emulators.ts';

describe('the in-flight sweeper on the emulators', () => {
  let table: TestTable;
  const bucket = `sweep-${randomUUID().slice(0, 8)}`;
  const s3 = createS3Client({ endpoint: inject('s3Endpoint') });
  const ids = ulidGenerator(systemClock);
  const audit = new AuditTrail({ clock: systemClock, ids });
  let store: DynamoCatalogueStore;

  beforeAll(async () => {
    table = await createTestTable();
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    store = new DynamoCatalogueStore(table.db, table.tableName);
  });
  afterAll(async () => {
    s3.destroy();
    await table.drop();
  });

  it('leaves alone a version the index still lists as due but whose deadline moved later (an eventually consistent read)', async () => {
    const at = new Date();
    const dataset: DatasetRecord = {
      id: ids.next('dst'), title: 'Relevés', description: 'x', theme: 'water', keywords: [], classification: 'shared', format: 'csv',
      publisher: { id: 'prt_dsp', name: 'Régie', kind: 'dsp' }, createdAt: at.toISOString(), updatedAt: at.toISOString(), ownerId: 'prt_dsp', nextVersion: 0,
    };
    await store.createDataset(dataset, ' releves ', audit.record({ actor: { type: 'system', name: 'test' }, action: 'dataset.created', subject: dataset.id, parties: [] }));
    const uploading: VersionRecord = { datasetId: dataset.id, version: 1, status: 'uploading', bytes: 10, createdAt: at.toISOString(), open: false, incomingKey: `incoming/${dataset.id}/v1`, sweepAt: uploadDeadline(at) };
    await store.createVersion(dataset, uploading, audit.record({ actor: { type: 'system', name: 'test' }, action: 'dataset.version.created', subject: dataset.id, parties: [] }));
    // A stale index page: it names the version as due although its deadline is an hour away.
    const staleIndex = Object.assign(Object.create(store) as DynamoCatalogueStore, { versionsToSweep: async () => [{ datasetId: dataset.id, version: 1 }] });
    const sweeper = new InFlightSweeper({ store: staleIndex, objects: new S3ObjectStore(s3, bucket), audit });

    expect(await sweeper.sweep(new Date(at.getTime() + 60_000))).toEqual({ redriven: 0, failed: 0 });
    expect((await store.getVersion(dataset.id, 1))?.status).toBe('uploading');
  });
});
