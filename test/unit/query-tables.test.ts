import { describe, expect, it } from 'vitest';
import { DatasetNotFoundError, VersionNotFoundError } from '../../functions/domain/catalogue/errors.ts';
import type { AccessService } from '../../functions/domain/licences/access-service.ts';
import { QueryTables, type Table } from '../../functions/domain/query/tables.ts';
import type { CatalogueStore, DatasetRecord, VersionRecord } from '../../functions/ports/catalogue.ts';

/** A catalogue of one dataset, counting the requests each answer took. */
function catalogue(dataset: Partial<DatasetRecord> | undefined, versions: Partial<VersionRecord>[]) {
  const reads: string[] = [];
  const version = (n: number) => versions.find((v) => v.version === n) as VersionRecord | undefined;
  const store: Partial<CatalogueStore> = {
    getDataset: async () => (reads.push('dataset'), dataset as DatasetRecord | undefined),
    getVersion: async (_, n) => (reads.push('version'), version(n)),
    latestPublishedVersion: async () => (reads.push('latest'), versions.filter((v) => v.status === 'published').sort((a, b) => b.version! - a.version!)[0] as VersionRecord | undefined),
    getDatasetAndVersion: async (_, n) => (reads.push('both'), { ...(dataset ? { dataset: dataset as DatasetRecord } : {}), ...(version(n) ? { version: version(n) } : {}) }),
  };
  return { tables: new QueryTables({ catalogue: store as CatalogueStore, access: {} as AccessService }), reads };
}

const published = (version: number, open = true): Partial<VersionRecord> => ({ version, status: 'published', open, objectKey: `datasets/d/v${version}.csv` });
const table = (version: number): Table => ({ key: `datasets/d/v${version}.csv.parquet`, version, datasetId: 'd' });
const tabular = (latestVersion: number): Partial<DatasetRecord> => ({ id: 'd', format: 'csv', latestVersion });

describe('the open table a records request reads', () => {
  it.each([
    ['the expected latest version, still the latest', tabular(2), [published(1), published(2)], {}, table(2), table(2), ['both']],
    ['the expected version, asked by number', tabular(2), [published(1), published(2)], { version: '1' }, table(1), table(1), ['both']],
    ['a newer version published since', tabular(3), [published(2), published(3)], {}, table(2), table(3), ['both', 'dataset', 'latest']],
    ['another version asked than the one expected', tabular(2), [published(1), published(2)], { version: '2' }, table(1), table(2), ['both', 'dataset', 'version']],
    ['the expected version purged, the counter not yet moved', tabular(2), [published(1), { ...published(2), status: 'purged' }], {}, table(2), table(1), ['both', 'dataset', 'latest']],
  ] as const)('%s', async (_, dataset, versions, params, expects, answer, reads) => {
    const c = catalogue(dataset, [...versions]);
    expect(await c.tables.open('d', params, expects)).toEqual(answer);
    expect(c.reads).toEqual(reads);
  });

  it.each([
    ['the expected version closed', tabular(1), [published(1, false)], {}, DatasetNotFoundError],
    ['the expected version closed, asked by number', tabular(1), [published(1, false)], { version: '1' }, VersionNotFoundError],
    ['the dataset gone', undefined, [published(1)], {}, DatasetNotFoundError],
  ] as const)('refuses %s as the full reads do', async (_, dataset, versions, params, error) => {
    const c = catalogue(dataset, [...versions]);
    await expect(c.tables.open('d', params, table(1))).rejects.toBeInstanceOf(error);
  });
});
