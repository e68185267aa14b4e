import type { Dataset, DatasetFormat, DatasetVersion, OpenLicence, Theme } from '../../../schemas/dataset.ts';
import type { DcatCatalog, DcatContactPoint, DcatDatasetNode, LinkedDataset } from '../../../schemas/linked-data.ts';

/** An open dataset and its open, published versions. */
export interface DcatEntry {
  readonly dataset: Dataset;
  readonly versions: readonly DatasetVersion[];
}

/** Who answers questions about the data: published as the `dcat:contactPoint` of the catalogue and of every dataset. */
export interface DcatContact {
  readonly name: string;
  readonly email: string;
}

/** Where one page of the catalogue sits: its size, the cursor it starts at and the one of the next page (none on the last). */
export interface DcatPage {
  readonly limit: number;
  readonly cursor?: string;
  readonly nextCursor?: string;
  readonly totalItems: number;
}

/** What one page of the open-data catalogue is rendered from; `versions` holds the open, published versions of each dataset. */
export interface DcatInput {
  readonly baseUrl: string;
  readonly catalog: { title: string; description: string; publisher: { id: string; name: string }; contact?: DcatContact; language?: string };
  readonly datasets: readonly DcatEntry[];
  readonly page: DcatPage;
}

const EU = 'http://publications.europa.eu/resource/authority/';
const DATA_THEME = `${EU}data-theme`;
const IANA = 'https://www.iana.org/assignments/media-types/';

// Self-contained so harvesters never fetch a remote context (DESIGN: no remote context URLs).
const CONTEXT = {
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  spdx: 'http://spdx.org/rdf/terms#',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
} as const;
const HYDRA = 'http://www.w3.org/ns/hydra/core#';

// EU Language authority codes for the ISO 639-1 tags a French territory may publish in.
const EU_LANGUAGE: Readonly<Record<string, string>> = {
  fr: 'FRA', en: 'ENG', de: 'DEU', es: 'SPA', it: 'ITA', nl: 'NLD', pt: 'POR', br: 'BRE', oc: 'OCI', eu: 'EUS', co: 'COS', ca: 'CAT',
};

// Our themes on the EU Data Theme vocabulary; `other` has no honest match, so it is left out.
const EU_THEME: Readonly<Record<Theme, string | undefined>> = {
  mobility: 'TRAN', energy: 'ENER', water: 'ENVI', waste: 'ENVI', environment: 'ENVI', urbanism: 'REGI',
  economy: 'ECON', population: 'SOCI', culture: 'EDUC', tourism: 'ECON', safety: 'JUST', other: undefined,
};

// The shapes make every skos:Concept carry a skos:prefLabel; these are the EU vocabulary's own labels.
const THEME_LABELS: Readonly<Record<string, { fr: string; en: string }>> = {
  TRAN: { fr: 'Transports', en: 'Transport' },
  ENER: { fr: 'Énergie', en: 'Energy' },
  ENVI: { fr: 'Environnement', en: 'Environment' },
  REGI: { fr: 'Régions et villes', en: 'Regions and cities' },
  ECON: { fr: 'Économie et finances', en: 'Economy and finance' },
  SOCI: { fr: 'Population et société', en: 'Population and society' },
  EDUC: { fr: 'Éducation, culture et sport', en: 'Education, culture and sport' },
  JUST: { fr: 'Justice, système juridique et sécurité publique', en: 'Justice, legal system and public safety' },
};

const LICENCE_URL: Readonly<Record<OpenLicence, string>> = {
  'etalab-2.0': 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/',
  'odbl-1.0': 'https://opendatacommons.org/licenses/odbl/1-0/',
};

const MEDIA_TYPE: Readonly<Record<DatasetFormat, string>> = {
  csv: 'text/csv', json: 'application/json', geojson: 'application/geo+json', file: 'application/octet-stream',
};

// `file` can be any bytes (GTFS zip, NeTEx…), so no EU file type is claimed for it.
const EU_FILE_TYPE: Readonly<Record<DatasetFormat, string | undefined>> = {
  csv: 'CSV', json: 'JSON', geojson: 'GEOJSON', file: undefined,
};

/** The IRI of a dataset in DCAT and ODRL alike; `GET /datasets/{id}` resolves it. */
export const datasetIri = (baseUrl: string, id: string) => `${baseUrl.replace(/\/+$/, '')}/datasets/${encodeURIComponent(id)}`;
/** The IRI of a partner (a publisher, a licence party); `GET /partners/{id}` resolves it. */
export const partnerIri = (baseUrl: string, id: string) => `${baseUrl.replace(/\/+$/, '')}/partners/${encodeURIComponent(id)}`;

/** The URL of one catalogue page; the limit is always explicit, so no page's IRI is the catalogue's own. */
function pageUrl(base: string, limit: number, cursor?: string): string {
  return `${base}/open/catalog.jsonld?${cursor ? `cursor=${encodeURIComponent(cursor)}&` : ''}limit=${limit}`;
}

function contextOf(language: string | undefined) {
  const tag = language ?? 'fr';
  const euLanguage = EU_LANGUAGE[tag];
  if (euLanguage === undefined) throw new RangeError(`no EU language authority code known for '${tag}'`);
  // Plain strings (titles, descriptions, keywords) are in the catalogue's language.
  return { context: { ...CONTEXT, '@language': tag }, euLanguage };
}

/**
 * Renders one page of the territory's open-data catalogue as a self-contained DCAT-AP 3.0.0 JSON-LD
 * document; non-open versions are skipped. The catalogue is a `hydra:Collection`; the page is its
 * view, typed `hydra:PartialCollectionView` (udata, data.gouv.fr's harvester, follows its `hydra:next`)
 * and `hydra:PagedCollection` (older harvesters follow its `hydra:nextPage`); the last page has neither.
 */
export function buildDcatCatalog(input: DcatInput): DcatCatalog {
  const base = input.baseUrl.replace(/\/+$/, '');
  const { context, euLanguage } = contextOf(input.catalog.language);
  const { page } = input;
  const total = count(page.totalItems);
  const next = page.nextCursor === undefined ? {} : { 'hydra:next': { '@id': pageUrl(base, page.limit, page.nextCursor) }, 'hydra:nextPage': { '@id': pageUrl(base, page.limit, page.nextCursor) } };
  return {
    '@context': { ...context, hydra: HYDRA },
    '@id': `${base}/open/catalog.jsonld`,
    '@type': ['dcat:Catalog', 'hydra:Collection'],
    'dct:title': input.catalog.title,
    'dct:description': input.catalog.description,
    'dct:publisher': agent(partnerIri(base, input.catalog.publisher.id), input.catalog.publisher.name),
    ...(input.catalog.contact ? { 'dcat:contactPoint': contactPoint(input.catalog.contact) } : {}),
    'dct:language': { '@id': `${EU}language/${euLanguage}`, '@type': 'dct:LinguisticSystem' },
    // No catalogue-wide dct:modified: a page sees only its datasets, and pages merged must not disagree.
    'dcat:themeTaxonomy': { '@id': DATA_THEME, '@type': 'skos:ConceptScheme', 'dct:title': { '@value': 'Data theme', '@language': 'en' } },
    'hydra:totalItems': total,
    'hydra:view': {
      '@id': pageUrl(base, page.limit, page.cursor),
      '@type': ['hydra:PartialCollectionView', 'hydra:PagedCollection'],
      'hydra:first': { '@id': pageUrl(base, page.limit) },
      ...next,
      'hydra:itemsPerPage': count(page.limit),
      'hydra:totalItems': total,
    },
    'dcat:dataset': input.datasets.map(({ dataset, versions }) => datasetNode(base, dataset, versions, input.catalog.contact)),
  };
}

/** One open dataset on its own, as `GET /datasets/{id}` answers: the catalogue's node with a context of its own. */
export function buildDcatDataset(input: { baseUrl: string; entry: DcatEntry; contact?: DcatContact; language?: string }): LinkedDataset {
  const { context } = contextOf(input.language);
  return { '@context': context, ...datasetNode(input.baseUrl.replace(/\/+$/, ''), input.entry.dataset, input.entry.versions, input.contact) };
}

function datasetNode(base: string, dataset: Dataset, versions: readonly DatasetVersion[], contact: DcatContact | undefined): DcatDatasetNode {
  const iri = datasetIri(base, dataset.id);
  // Defence in depth: the public catalogue must never advertise a version that is not open.
  const open = versions.filter((v) => v.open && v.status === 'published').toSorted((a, b) => a.version - b.version);
  const published = open.flatMap((v) => (v.publishedAt === undefined ? [] : [v.publishedAt]));
  const themeCode = EU_THEME[dataset.theme];
  return {
    '@id': iri,
    '@type': 'dcat:Dataset',
    // A value object, so the identifier is not tagged with the default language.
    'dct:identifier': { '@value': dataset.id },
    'dct:title': dataset.title,
    'dct:description': dataset.description,
    'dcat:keyword': [...dataset.keywords],
    ...(themeCode === undefined ? {} : { 'dcat:theme': themeNode(themeCode) }),
    'dct:publisher': agent(partnerIri(base, dataset.publisher.id), dataset.publisher.name),
    ...(contact ? { 'dcat:contactPoint': contactPoint(contact) } : {}),
    // DCAT-AP puts licences on distributions; the dataset states the same one for harvesters that read it there (udata).
    'dct:license': licenceNode(dataset),
    'dct:spatial': (dataset.spatial ?? []).map((code) => ({ '@id': `http://id.insee.fr/geo/commune/${encodeURIComponent(code)}`, '@type': 'dct:Location' as const })),
    'dct:accessRights': { '@id': `${EU}access-right/PUBLIC`, '@type': 'dct:RightsStatement' },
    // Issued when first opened (creation if nothing is open yet); modified at the latest metadata or version change.
    'dct:issued': dateTime(earliest(published) ?? dataset.createdAt),
    'dct:modified': dateTime(latest([dataset.updatedAt, ...published]) ?? dataset.updatedAt),
    // Distributions keep their /open IRIs, under which their download URL resolves.
    'dcat:distribution': open.map((v) => distributionNode(`${base}/open/datasets/${encodeURIComponent(dataset.id)}`, dataset, v)),
  };
}

function distributionNode(openIri: string, dataset: Dataset, v: DatasetVersion): DcatDatasetNode['dcat:distribution'][number] {
  const iri = `${openIri}/versions/${v.version}`;
  // Our stable download route, which redirects to a fresh presigned URL; never the presigned URL itself.
  const download = { '@id': `${iri}/download`, '@type': 'rdfs:Resource' as const };
  const fileType = EU_FILE_TYPE[dataset.format];
  return {
    '@id': iri,
    '@type': 'dcat:Distribution',
    'dct:title': `${dataset.title} — version ${v.version}`,
    'dcat:accessURL': download,
    'dcat:downloadURL': download,
    // The shapes require xsd:nonNegativeInteger; a JSON number would become xsd:integer.
    'dcat:byteSize': { '@value': String(v.bytes), '@type': 'xsd:nonNegativeInteger' },
    ...(v.sha256 === undefined
      ? {}
      : {
          'spdx:checksum': {
            '@type': 'spdx:Checksum',
            // The shapes require the algorithm node itself to be typed spdx:ChecksumAlgorithm.
            'spdx:algorithm': { '@id': 'spdx:checksumAlgorithm_sha256', '@type': 'spdx:ChecksumAlgorithm' },
            'spdx:checksumValue': { '@value': v.sha256, '@type': 'xsd:hexBinary' },
          },
        }),
    'dct:license': licenceNode(dataset),
    'dcat:mediaType': { '@id': `${IANA}${MEDIA_TYPE[dataset.format]}`, '@type': 'dct:MediaType' },
    // dct:format ranges over dct:MediaTypeOrExtent in the shapes, unlike dcat:mediaType (dct:MediaType).
    ...(fileType === undefined ? {} : { 'dct:format': { '@id': `${EU}file-type/${fileType}`, '@type': 'dct:MediaTypeOrExtent' } }),
    ...(v.publishedAt === undefined ? {} : { 'dct:issued': dateTime(v.publishedAt) }),
  };
}

function themeNode(code: string): NonNullable<DcatDatasetNode['dcat:theme']> {
  const label = THEME_LABELS[code];
  return {
    '@id': `${DATA_THEME}/${code}`,
    '@type': 'skos:Concept',
    'skos:inScheme': { '@id': DATA_THEME },
    'skos:prefLabel': label === undefined ? code : [{ '@value': label.fr, '@language': 'fr' }, { '@value': label.en, '@language': 'en' }],
  };
}

function licenceNode(dataset: Dataset) {
  return { '@id': LICENCE_URL[dataset.licence ?? 'etalab-2.0'], '@type': 'dct:LicenseDocument' as const };
}

/** A partner as DCAT names it: a `foaf:Agent` with its name. */
export function agent(iri: string, name: string): DcatDatasetNode['dct:publisher'] {
  // A name is not in a language, so it stays a plain literal.
  return { '@id': iri, '@type': 'foaf:Agent', 'foaf:name': { '@value': name } };
}

function contactPoint(contact: DcatContact): DcatContactPoint {
  // The shapes want the node typed vcard:Kind itself; Organization says what kind of contact it is.
  return { '@type': ['vcard:Kind', 'vcard:Organization'], 'vcard:fn': { '@value': contact.name }, 'vcard:hasEmail': { '@id': `mailto:${contact.email}` } };
}

function dateTime(instant: string) {
  return { '@value': instant, '@type': 'xsd:dateTime' as const };
}

function count(n: number) {
  // Hydra's counts are xsd:nonNegativeInteger; a JSON number would become xsd:integer.
  return { '@value': String(n), '@type': 'xsd:nonNegativeInteger' as const };
}

// Instants may carry different offsets, so they are compared as times, not as strings.
function earliest(instants: readonly string[]): string | undefined {
  return instants.reduce<string | undefined>((min, t) => (min === undefined || Date.parse(t) < Date.parse(min) ? t : min), undefined);
}

function latest(instants: readonly string[]): string | undefined {
  return instants.reduce<string | undefined>((max, t) => (max === undefined || Date.parse(t) > Date.parse(max) ? t : max), undefined);
}
