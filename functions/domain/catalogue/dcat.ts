import type { Dataset, DatasetFormat, DatasetVersion, OpenLicence, Theme } from '../../../schemas/dataset.ts';

/** What the open-data catalogue is rendered from; `versions` holds the open, published versions of each dataset. */
export interface DcatInput {
  readonly baseUrl: string;
  readonly catalog: { title: string; description: string; publisher: { id: string; name: string }; language?: string };
  readonly datasets: readonly {
    dataset: Dataset;
    versions: readonly DatasetVersion[];
  }[];
  readonly modified: string;
}

type Node = Record<string, unknown>;

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
  xsd: 'http://www.w3.org/2001/XMLSchema#',
} as const;

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

/** Renders the territory's open-data catalogue as a self-contained DCAT-AP 3.0.0 JSON-LD document; non-open versions are skipped. */
export function buildDcatCatalog(input: DcatInput): Record<string, unknown> {
  const base = input.baseUrl.replace(/\/+$/, '');
  const tag = input.catalog.language ?? 'fr';
  const euLanguage = EU_LANGUAGE[tag];
  if (euLanguage === undefined) throw new RangeError(`no EU language authority code known for '${tag}'`);
  return {
    // Plain strings (titles, descriptions, keywords) are in the catalogue's language.
    '@context': { ...CONTEXT, '@language': tag },
    '@id': `${base}/open/catalog.jsonld`,
    '@type': 'dcat:Catalog',
    'dct:title': input.catalog.title,
    'dct:description': input.catalog.description,
    'dct:publisher': agent(`${base}/partners/${encodeURIComponent(input.catalog.publisher.id)}`, input.catalog.publisher.name),
    'dct:language': { '@id': `${EU}language/${euLanguage}`, '@type': 'dct:LinguisticSystem' },
    'dct:modified': dateTime(input.modified),
    'dcat:themeTaxonomy': { '@id': DATA_THEME, '@type': 'skos:ConceptScheme', 'dct:title': { '@value': 'Data theme', '@language': 'en' } },
    'dcat:dataset': input.datasets.map(({ dataset, versions }) => datasetNode(base, dataset, versions)),
  };
}

function datasetNode(base: string, dataset: Dataset, versions: readonly DatasetVersion[]): Node {
  const iri = `${base}/open/datasets/${encodeURIComponent(dataset.id)}`;
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
    'dct:publisher': agent(`${base}/partners/${encodeURIComponent(dataset.publisher.id)}`, dataset.publisher.name),
    'dct:spatial': (dataset.spatial ?? []).map((code) => ({ '@id': `http://id.insee.fr/geo/commune/${encodeURIComponent(code)}`, '@type': 'dct:Location' })),
    'dct:accessRights': { '@id': `${EU}access-right/PUBLIC`, '@type': 'dct:RightsStatement' },
    // Issued when first opened (creation if nothing is open yet); modified at the latest metadata or version change.
    'dct:issued': dateTime(earliest(published) ?? dataset.createdAt),
    'dct:modified': dateTime(latest([dataset.updatedAt, ...published]) ?? dataset.updatedAt),
    'dcat:distribution': open.map((v) => distributionNode(iri, dataset, v)),
  };
}

function distributionNode(datasetIri: string, dataset: Dataset, v: DatasetVersion): Node {
  const iri = `${datasetIri}/versions/${v.version}`;
  // Our stable download route, which redirects to a fresh presigned URL; never the presigned URL itself.
  const download = { '@id': `${iri}/download`, '@type': 'rdfs:Resource' };
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
    'dct:license': { '@id': LICENCE_URL[dataset.licence ?? 'etalab-2.0'], '@type': 'dct:LicenseDocument' },
    'dcat:mediaType': { '@id': `${IANA}${MEDIA_TYPE[dataset.format]}`, '@type': 'dct:MediaType' },
    // dct:format ranges over dct:MediaTypeOrExtent in the shapes, unlike dcat:mediaType (dct:MediaType).
    ...(fileType === undefined ? {} : { 'dct:format': { '@id': `${EU}file-type/${fileType}`, '@type': 'dct:MediaTypeOrExtent' } }),
    ...(v.publishedAt === undefined ? {} : { 'dct:issued': dateTime(v.publishedAt) }),
  };
}

function themeNode(code: string): Node {
  const label = THEME_LABELS[code];
  return {
    '@id': `${DATA_THEME}/${code}`,
    '@type': 'skos:Concept',
    'skos:inScheme': { '@id': DATA_THEME },
    'skos:prefLabel': label === undefined ? code : [{ '@value': label.fr, '@language': 'fr' }, { '@value': label.en, '@language': 'en' }],
  };
}

function agent(iri: string, name: string): Node {
  // A name is not in a language, so it stays a plain literal.
  return { '@id': iri, '@type': 'foaf:Agent', 'foaf:name': { '@value': name } };
}

function dateTime(instant: string): Node {
  return { '@value': instant, '@type': 'xsd:dateTime' };
}

// Instants may carry different offsets, so they are compared as times, not as strings.
function earliest(instants: readonly string[]): string | undefined {
  return instants.reduce<string | undefined>((min, t) => (min === undefined || Date.parse(t) < Date.parse(min) ? t : min), undefined);
}

function latest(instants: readonly string[]): string | undefined {
  return instants.reduce<string | undefined>((max, t) => (max === undefined || Date.parse(t) > Date.parse(max) ? t : max), undefined);
}
