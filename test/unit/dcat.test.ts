import factory from '@zazuko/env';
import { Store } from 'n3';
import { describe, expect, it } from 'vitest';
import { toQuads, validateDcat } from '../support/shacl.ts';
import { buildDcatCatalog, buildDcatDataset, type DcatInput } from '../../functions/domain/catalogue/dcat.ts';
import type { Dataset, DatasetVersion } from '../../schemas/dataset.ts';

const BASE = 'https://api.territoire.fr';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const DCAT = 'http://www.w3.org/ns/dcat#';
const SPDX = 'http://spdx.org/rdf/terms#';
const XSD = 'http://www.w3.org/2001/XMLSchema#';
const DCT = 'http://purl.org/dc/terms/';
const HYDRA = 'http://www.w3.org/ns/hydra/core#';
const VCARD = 'http://www.w3.org/2006/vcard/ns#';
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
  catalog: {
    title: 'Données ouvertes du territoire',
    description: 'Catalogue des données ouvertes.',
    publisher: { id: '01JCITY', name: 'Ville' },
    contact: { name: 'Ville', email: 'donnees@ville.example' },
  },
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
  page: { limit: 100, totalItems: 2 },
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
    expect(datasets.toSorted()).toEqual([`${BASE}/datasets/01JBUSSTOPS`, `${BASE}/datasets/01JGTFS`]);
    expect(store.getObjects(`${BASE}/open/catalog.jsonld`, `${DCAT}dataset`, null)).toHaveLength(2);
    expect(store.getSubjects(RDF_TYPE, `${DCAT}Distribution`, null)).toHaveLength(3);

    const expected = [
      { dataset: bus.id, n: 1, bytes: '1234', sha: SHA_A1 },
      { dataset: bus.id, n: 2, bytes: '0', sha: SHA_A2 },
      { dataset: gtfs.id, n: 1, bytes: '5000000000', sha: SHA_B1 },
    ];
    for (const e of expected) {
      const dist = `${BASE}/open/datasets/${e.dataset}/versions/${e.n}`;
      expect(store.has(factory.quad(factory.namedNode(`${BASE}/datasets/${e.dataset}`), factory.namedNode(`${DCAT}distribution`), factory.namedNode(dist)))).toBe(true);
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
    const spatial = store.getObjects(`${BASE}/datasets/01JBUSSTOPS`, 'http://purl.org/dc/terms/spatial', null).map((o) => o.value);
    expect(spatial.toSorted()).toEqual(['http://id.insee.fr/geo/commune/2A004', 'http://id.insee.fr/geo/commune/75056']);
    expect(store.getObjects(`${BASE}/datasets/01JBUSSTOPS`, `${DCAT}keyword`, null)).toHaveLength(3);
    expect(store.getObjects(`${BASE}/datasets/01JBUSSTOPS`, `${DCAT}theme`, null).map((o) => o.value)).toEqual([
      'http://publications.europa.eu/resource/authority/data-theme/TRAN',
    ]);
    expect(store.getObjects(`${BASE}/datasets/01JGTFS`, `${DCAT}theme`, null)).toHaveLength(0);
  });

  it('states each dataset\'s licence on the dataset too, the same as its distributions\'', async () => {
    const store = new Store(await toQuads(buildDcatCatalog(input)));
    const licence = (n: string) => store.getObjects(n, `${DCT}license`, null).map((o) => o.value);
    expect(licence(`${BASE}/datasets/01JBUSSTOPS`)).toEqual(['https://opendatacommons.org/licenses/odbl/1-0/']);
    expect(licence(`${BASE}/datasets/01JGTFS`)).toEqual(['https://www.etalab.gouv.fr/licence-ouverte-open-licence/']);
  });

  it('names the collectivity\'s contact as a vcard:Kind on the catalogue and on every dataset', async () => {
    const store = new Store(await toQuads(buildDcatCatalog(input)));
    for (const subject of [`${BASE}/open/catalog.jsonld`, `${BASE}/datasets/01JBUSSTOPS`, `${BASE}/datasets/01JGTFS`]) {
      const [contact] = store.getObjects(subject, `${DCAT}contactPoint`, null);
      expect(contact, subject).toBeDefined();
      expect(store.getObjects(contact!, RDF_TYPE, null).map((o) => o.value)).toContain(`${VCARD}Kind`);
      expect(store.getObjects(contact!, `${VCARD}hasEmail`, null).map((o) => o.value)).toEqual(['mailto:donnees@ville.example']);
      expect(store.getObjects(contact!, `${VCARD}fn`, null).map((o) => o.value)).toEqual(['Ville']);
    }
  });

  it('shouldFailValidation_when the contact point is not typed vcard:Kind', async () => {
    const broken = structuredClone(buildDcatCatalog(input)) as unknown as { 'dcat:dataset': Record<string, Record<string, unknown>>[] };
    broken['dcat:dataset'][0]!['dcat:contactPoint']!['@type'] = 'vcard:Organization';
    const { report } = await validateDcat(broken as unknown as Record<string, unknown>);
    expect(report.conforms).toBe(false);
    expect(report.results.map((r) => r.path?.value)).toContain(`${DCAT}contactPoint`);
  });

  describe('Hydra paging', () => {
    const pages = [
      { ...input, datasets: [input.datasets[0]!], page: { limit: 1, nextCursor: 'c1', totalItems: 2 } },
      { ...input, datasets: [input.datasets[1]!], page: { limit: 1, cursor: 'c1', totalItems: 2 } },
    ];
    const view = async (doc: Record<string, unknown>) => {
      const store = new Store(await toQuads(doc));
      const [node] = store.getObjects(`${BASE}/open/catalog.jsonld`, `${HYDRA}view`, null);
      const one = (p: string) => store.getObjects(node!, `${HYDRA}${p}`, null).map((o) => o.value);
      return { node: node!, store, one };
    };

    it('makes every page, and the pages merged, conform to the DCAT-AP shapes', async () => {
      for (const page of pages) {
        const { report, why } = await validateDcat(buildDcatCatalog(page));
        expect(report.conforms, why.join('\n')).toBe(true);
      }
      const merged = { '@graph': pages.map((p) => buildDcatCatalog(p)) } as Record<string, unknown>;
      const { report, why } = await validateDcat(merged);
      expect(report.conforms, why.join('\n')).toBe(true);
    });

    it('types the catalogue a hydra:Collection and its page a PartialCollectionView and PagedCollection, with first, next, total and page size', async () => {
      const { node, store, one } = await view(buildDcatCatalog(pages[0]!));
      expect(store.getObjects(`${BASE}/open/catalog.jsonld`, RDF_TYPE, null).map((o) => o.value)).toContain(`${HYDRA}Collection`);
      expect(store.getObjects(node, RDF_TYPE, null).map((o) => o.value).sort()).toEqual([`${HYDRA}PagedCollection`, `${HYDRA}PartialCollectionView`]);
      expect(node.value).toBe(`${BASE}/open/catalog.jsonld?limit=1`);
      expect(one('first')).toEqual([`${BASE}/open/catalog.jsonld?limit=1`]);
      expect(one('next')).toEqual([`${BASE}/open/catalog.jsonld?cursor=c1&limit=1`]);
      expect(one('nextPage')).toEqual([`${BASE}/open/catalog.jsonld?cursor=c1&limit=1`]);
      const [items, total] = [store.getObjects(node, `${HYDRA}itemsPerPage`, null)[0], store.getObjects(node, `${HYDRA}totalItems`, null)[0]];
      expect(items?.termType === 'Literal' && [items.value, items.datatype.value]).toEqual(['1', `${XSD}nonNegativeInteger`]);
      expect(total?.value).toBe('2');
      expect(store.getObjects(`${BASE}/open/catalog.jsonld`, `${DCAT}dataset`, null).map((o) => o.value)).toEqual([`${BASE}/datasets/01JBUSSTOPS`]);
    });

    it('names no next page on the last page', async () => {
      const { node, one } = await view(buildDcatCatalog(pages[1]!));
      expect(node.value).toBe(`${BASE}/open/catalog.jsonld?cursor=c1&limit=1`);
      expect(one('next')).toEqual([]);
      expect(one('nextPage')).toEqual([]);
      expect(one('first')).toEqual([`${BASE}/open/catalog.jsonld?limit=1`]);
    });
  });

  it('describes one dataset on its own with the same node as in the catalogue, and it conforms', async () => {
    const doc = buildDcatDataset({ baseUrl: BASE, entry: input.datasets[0]!, contact: input.catalog.contact! });
    const { report, why } = await validateDcat(doc);
    expect(report.conforms, why.join('\n')).toBe(true);
    const { '@context': _c, ...node } = doc;
    expect(node).toEqual(buildDcatCatalog(input)['dcat:dataset'][0]);
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
    const broken = structuredClone(buildDcatCatalog(input)) as unknown as { 'dcat:dataset': (Record<string, unknown> & { 'dcat:distribution': Record<string, unknown>[] })[] };
    // The GTFS dataset and its version are the only etalab ones: no other node states the licence's type.
    const gtfs = broken['dcat:dataset'][1];
    const gtfsVersion = gtfs?.['dcat:distribution'][0];
    expect(gtfsVersion).toBeDefined();
    for (const node of [gtfs, gtfsVersion]) if (node) node['dct:license'] = { '@id': 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/' };
    const { report } = await validateDcat(broken as unknown as Record<string, unknown>);
    expect(report.conforms).toBe(false);
    expect(report.results.map((r) => r.path?.value)).toContain('http://purl.org/dc/terms/license');
  });

  it('leaves out versions that are not open, and never presigned URLs', () => {
    const leaked = { ...openVersion(bus.id, 3, 10, SHA_A1, '2024-05-01T00:00:00.000Z'), open: false };
    const doc = buildDcatCatalog({ ...input, datasets: [{ dataset: bus, versions: [leaked] }] });
    const json = JSON.stringify(doc);
    expect(json).not.toContain('/versions/3');
    expect(json).not.toContain('X-Amz-');
    // Only the catalogue's own page links carry a query string.
    expect(JSON.stringify(doc['dcat:dataset'])).not.toContain('?');
  });

  it('refuses a language it cannot map to the EU authority', () => {
    expect(() => buildDcatCatalog({ ...input, catalog: { ...input.catalog, language: 'xx' } })).toThrow(RangeError);
  });
});
