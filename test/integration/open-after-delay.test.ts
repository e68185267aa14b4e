import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCatalogueStore } from '../../functions/adapters/dynamo/catalogue-store.ts';
import { AuditTrail, systemActor } from '../../functions/domain/audit/audit-trail.ts';
import { systemClock, ulidGenerator } from '../../functions/domain/ids.ts';
import type { DatasetRecord, VersionRecord } from '../../functions/ports/catalogue.ts';
import { createTestTable, type TestTable } from '../support/emulators.ts';

describe('opening a version after its delay, on DynamoDB Local', () => {
  let table: TestTable;
  let store: DynamoCatalogueStore;
  const ids = ulidGenerator(systemClock);
  const audit = new AuditTrail({ clock: systemClock, ids });
  const event = (action: string, subject: string) => audit.record({ actor: systemActor('test'), action, subject, parties: [] });

  beforeAll(async () => {
    table = await createTestTable();
    store = new DynamoCatalogueStore(table.db, table.tableName);
  });
  afterAll(() => table.drop());

  /** A restricted dataset without personal fields and one published version due to open. */
  async function dueVersion(): Promise<{ dataset: DatasetRecord; version: VersionRecord }> {
    const at = '2026-03-01T10:00:00.000Z';
    const dataset: DatasetRecord = {
      id: ids.next('dst'), title: 'Relevés', description: 'x', theme: 'water', keywords: [], classification: 'restricted', format: 'csv',
      schema: { fields: [{ name: 'compteur', type: 'string' }] }, publisher: { id: 'prt_dsp', name: 'Régie', kind: 'dsp' }, createdAt: at, updatedAt: at, ownerId: 'prt_dsp', nextVersion: 0,
    };
    await store.createDataset(dataset, ' releves ', event('dataset.created', dataset.id));
    const validating: VersionRecord = { datasetId: dataset.id, version: 1, status: 'validating', bytes: 10, createdAt: at, open: false, incomingKey: `incoming/${dataset.id}/v1` };
    await store.createVersion(dataset, validating, event('dataset.version.created', dataset.id));
    const claim = (await store.claimIngest(dataset.id, 1, at, '2026-03-01T10:15:00.000Z', '2026-03-01T10:20:00.000Z'))!;
    const version: VersionRecord = { ...validating, status: 'published', publishedAt: at, openFrom: '2026-03-02T10:00:00.000Z', objectKey: `versions/${dataset.id}/v1` };
    await store.publish({ version, claim, previousLatest: undefined, events: [event('dataset.version.published', dataset.id)] });
    return { dataset: (await store.getDataset(dataset.id))!, version };
  }

  it('opens nothing when the dataset changed after the schedule judged it', async () => {
    const { dataset, version } = await dueVersion();

    await store.openVersion(version, '2026-01-01T00:00:00.000Z', event('dataset.version.opened', dataset.id));

    expect((await store.getVersion(dataset.id, 1))?.open).toBe(false);
    expect((await store.listOpenDatasets({})).items.map((p) => p.datasetId)).not.toContain(dataset.id);
    expect(await store.versionsDueToOpen('2026-03-03T00:00:00.000Z', 50)).toContainEqual({ datasetId: dataset.id, version: 1 });

    await store.openVersion(version, dataset.updatedAt, event('dataset.version.opened', dataset.id));

    expect((await store.getVersion(dataset.id, 1))?.open).toBe(true);
    expect((await store.listOpenDatasets({})).items.map((p) => p.datasetId)).toContain(dataset.id);
  });
});
