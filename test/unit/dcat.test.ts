import factory from '@zazuko/env';
import { Store } from 'n3';
import { describe, expect, it } from 'vitest';
import { toQuads, validateDcat } from '../support/shacl.ts';
import { buildDcatCatalog, type DcatInput } from '../../functions/domain/catalogue/dcat.ts';
import type { Dataset, DatasetVersion } from '../../schemas/dataset.ts';

const BASE = 'https://api.territoire.fr';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const DCAT = 'http://www.w3.org/ns/dcat#';
const SPDX = 'http://spdx.org/rdf/terms#';
const XSD = 'http://www.w3.org/2001/XMLSchema#';
const SHA_A1 = 'a'.repeat(64);
const SHA_A2 = '0123456789abcdef'.repeat(4);
const SHA_B1 = 'f'.repeat(64);

const bus: Dataset = {
  id: '01JBUSSTOPS',
  title: 'Arrêts de bus',
  description: 'Position des arrêts du réseau urbain.',
  theme: 'mobility',
  keywords: ['bus', 'arrêts', 'transport'],
  spatial: ['75056', '2A004'],
  classification: 'open',
  licence: 'odbl-1.0',
  format: 'csv',
  schema: { fields: [{ name: 'stop_id', type: 'string' }] },
  publisher: { id: '01JOPERATOR', name: 'Opérateur Mobilité', kind: 'dsp' },
  latestVersion: 2,
  createdAt: '2024-01-10T08:00:00.000Z',
  updatedAt: '2024-03-01T09:00:00.000Z',
};

const gtfs: Dataset = {
  id: '01JGTFS',
  title: 'Horaires GTFS',
  description: 'Archive GTFS du réseau.',
  theme: 'other',
  keywords: [],
  classification: 'open',
  format: 'file',
  publisher: { id: '01JCITY', name: 'Ville', kind: 'public' },
  latestVersion: 1,
  createdAt: '2024-02-01T08:00:00.000Z',
  updatedAt: '2024-02-01T08:00:00.000Z',
};

function openVersion(datasetId: string, version: number, bytes: number, sha256: string, publishedAt: string): DatasetVersion {
  return { datasetId, version, status: 'published', bytes, sha256, createdAt: publishedAt, publishedAt, open: true };
}

const input: DcatInput = {
  baseUrl: BASE,
  catalog: { title: 'Données ouvertes du territoire', description: 'Catalogue des données ouvertes.', publisher: { id: '01JCITY', name: 'Ville' } },
  datasets: [
    {
      dataset: bus,
      versions: [
        openVersion(bus.id, 1, 1234, SHA_A1, '2024-01-15T10:00:00.000Z'),
        openVersion(bus.id, 2, 0, SHA_A2, '2024-04-02T10:00:00+02:00'),
      ],
    },
    { dataset: gtfs, versions: [openVersion(gtfs.id, 1, 5_000_000_000, SHA_B1, '2024-02-02T08:00:00.000Z')] },
  ],
  modified: '2024-04-02T08:00:00.000Z',
};

const emptyInput: DcatInput = { ...input, datasets: [] };

describe('DCAT-AP catalogue', () => {
  it('conforms to the DCAT-AP 3.0.0 shapes without fetching any remote context', async () => {
    const { report, why } = await validateDcat(buildDcatCatalog(input));
    expect(report.conforms, why.join('\n')).toBe(true);
  });

  it('conforms when the catalogue is empty', async () => {
    const doc = buildDcatCatalog(emptyInput);
    const { report, why } = await validateDcat(doc);
    expect(report.conforms, why.join('\n')).toBe(true);
    const store = new Store(await toQuads(doc));
    expect(store.getSubjects(RDF_TYPE, `${DCAT}Catalog`, null).map((s) => s.value)).toEqual([`${BASE}/open/catalog.jsonld`]);
    expect(store.getSubjects(RDF_TYPE, `${DCAT}Dataset`, null)).toHaveLength(0);
  });

  it('has one dataset per input dataset and one distribution per version, with the right URLs, sizes and checksums', async () => {
    const store = new Store(await toQuads(buildDcatCatalog(input)));
    const datasets = store.getSubjects(RDF_TYPE, `${DCAT}Dataset`, null).map((s) => s.value);
    expect(datasets.toSorted()).toEqual([`${BASE}/open/datasets/01JBUSSTOPS`, `${BASE}/open/datasets/01JGTFS`]);
    expect(store.getObjects(`${BASE}/open/catalog.jsonld`, `${DCAT}dataset`, null)).toHaveLength(2);
    expect(store.getSubjects(RDF_TYPE, `${DCAT}Distribution`, null)).toHaveLength(3);

    const expected = [
      { dataset: bus.id, n: 1, bytes: '1234', sha: SHA_A1 },
      { dataset: bus.id, n: 2, bytes: '0', sha: SHA_A2 },
      { dataset: gtfs.id, n: 1, bytes: '5000000000', sha: SHA_B1 },
    ];
    for (const e of expected) {
      const dist = `${BASE}/open/datasets/${e.dataset}/versions/${e.n}`;
      expect(store.has(factory.quad(factory.namedNode(`${BASE}/open/datasets/${e.dataset}`), factory.namedNode(`${DCAT}distribution`), factory.namedNode(dist)))).toBe(true);
      const download = `${dist}/download`;
      expect(store.getObjects(dist, `${DCAT}accessURL`, null).map((o) => o.value)).toEqual([download]);
      expect(store.getObjects(dist, `${DCAT}downloadURL`, null).map((o) => o.value)).toEqual([download]);
      const [size] = store.getObjects(dist, `${DCAT}byteSize`, null);
      expect(size?.termType === 'Literal' && [size.value, size.datatype.value]).toEqual([e.bytes, `${XSD}nonNegativeInteger`]);
      const [checksum] = store.getObjects(dist, `${SPDX}checksum`, null);
      expect(checksum).toBeDefined();
      const [value] = store.getObjects(checksum ?? null, `${SPDX}checksumValue`, null);
      expect(value?.termType === 'Literal' && [value.value, value.datatype.value]).toEqual([e.sha, `${XSD}hexBinary`]);
      expect(store.getObjects(checksum ?? null, `${SPDX}algorithm`, null).map((o) => o.value)).toEqual([`${SPDX}checksumAlgorithm_sha256`]);
    }

    const licence = (n: string) => store.getObjects(n, 'http://purl.org/dc/terms/license', null).map((o) => o.value);
    expect(licence(`${BASE}/open/datasets/01JBUSSTOPS/versions/1`)).toEqual(['https://opendatacommons.org/licenses/odbl/1-0/']);
    expect(licence(`${BASE}/open/datasets/01JGTFS/versions/1`)).toEqual(['https://www.etalab.gouv.fr/licence-ouverte-open-licence/']);
    const spatial = store.getObjects(`${BASE}/open/datasets/01JBUSSTOPS`, 'http://purl.org/dc/terms/spatial', null).map((o) => o.value);
    expect(spatial.toSorted()).toEqual(['http://id.insee.fr/geo/commune/2A004', 'http://id.insee.fr/geo/commune/75056']);
    expect(store.getObjects(`${BASE}/open/datasets/01JBUSSTOPS`, `${DCAT}keyword`, null)).toHaveLength(3);
    expect(store.getObjects(`${BASE}/open/datasets/01JBUSSTOPS`, `${DCAT}theme`, null).map((o) => o.value)).toEqual([
      'http://publications.europa.eu/resource/authority/data-theme/TRAN',
    ]);
    expect(store.getObjects(`${BASE}/open/datasets/01JGTFS`, `${DCAT}theme`, null)).toHaveLength(0);
  });

  it('shouldFailValidation_when a distribution loses its mandatory accessURL', async () => {
    const doc = buildDcatCatalog(input);
    const broken = structuredClone(doc) as { 'dcat:dataset': { 'dcat:distribution': Record<string, unknown>[] }[] };
    const first = broken['dcat:dataset'][0]?.['dcat:distribution'][0];
    expect(first).toBeDefined();
    delete first?.['dcat:accessURL'];
    const { report } = await validateDcat(broken);
    expect(report.conforms).toBe(false);
    expect(report.results.map((r) => [r.focusNode?.value, r.path?.value])).toContainEqual([`${BASE}/open/datasets/01JBUSSTOPS/versions/1`, `${DCAT}accessURL`]);
  });

  it('shouldFailValidation_when the byte size is a plain JSON number (xsd:integer)', async () => {
    const broken = structuredClone(buildDcatCatalog(input)) as { 'dcat:dataset': { 'dcat:distribution': Record<string, unknown>[] }[] };
    const first = broken['dcat:dataset'][0]?.['dcat:distribution'][0];
    if (first) first['dcat:byteSize'] = 1234;
    const { report } = await validateDcat(broken);
    expect(report.conforms).toBe(false);
    expect(report.results.map((r) => r.path?.value)).toContain(`${DCAT}byteSize`);
  });

  it('shouldFailValidation_when the licence is not typed dct:LicenseDocument', async () => {
    const broken = structuredClone(buildDcatCatalog(input)) as { 'dcat:dataset': { 'dcat:distribution': Record<string, unknown>[] }[] };
    // The GTFS version is the only etalab one: no other node states the licence's type.
    const gtfsVersion = broken['dcat:dataset'][1]?.['dcat:distribution'][0];
    expect(gtfsVersion).toBeDefined();
    if (gtfsVersion) gtfsVersion['dct:license'] = { '@id': 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/' };
    const { report } = await validateDcat(broken);
    expect(report.conforms).toBe(false);
    expect(report.results.map((r) => r.path?.value)).toContain('http://purl.org/dc/terms/license');
  });

  it('leaves out versions that are not open, and never presigned URLs', () => {
    const leaked = { ...openVersion(bus.id, 3, 10, SHA_A1, '2024-05-01T00:00:00.000Z'), open: false };
    const doc = buildDcatCatalog({ ...input, datasets: [{ dataset: bus, versions: [leaked] }] });
    const json = JSON.stringify(doc);
    expect(json).not.toContain('/versions/3');
    expect(json).not.toMatch(/X-Amz-|\?/);
  });

  it('refuses a language it cannot map to the EU authority', () => {
    expect(() => buildDcatCatalog({ ...input, catalog: { ...input.catalog, language: 'xx' } })).toThrow(RangeError);
  });
});
