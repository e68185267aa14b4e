import * as z from 'zod';

/** Media types a linked-data URI answers with (content negotiation), JSON-LD first. */
export const LINKED_DATA_MEDIA_TYPES = ['application/ld+json', 'application/json'] as const;

const Iri = z.string();
const Ref = z.object({ '@id': Iri }).strict();
const typedRef = <T extends string>(type: T) => z.object({ '@id': Iri, '@type': z.literal(type) }).strict();
const typedLiteral = <T extends string>(type: T) => z.object({ '@value': z.string(), '@type': z.literal(type) }).strict();
const PlainLiteral = z.object({ '@value': z.string() }).strict();
const LangString = z.object({ '@value': z.string(), '@language': z.string() }).strict();
const DateTime = typedLiteral('xsd:dateTime');
const Count = typedLiteral('xsd:nonNegativeInteger');
/** A self-contained JSON-LD context: prefixes to namespaces, and the default language. */
const Context = z.record(z.string(), z.string());

/** A partner as DCAT names it: `foaf:Agent` with its name. */
export const DcatAgentSchema = z.object({ '@id': Iri, '@type': z.literal('foaf:Agent'), 'foaf:name': PlainLiteral }).strict();

/** Whom to write to about the data: the collectivity's contact, as a vCard. */
export const DcatContactPointSchema = z
  .object({ '@type': z.tuple([z.literal('vcard:Kind'), z.literal('vcard:Organization')]), 'vcard:fn': PlainLiteral, 'vcard:hasEmail': Ref })
  .strict();
export type DcatContactPoint = z.infer<typeof DcatContactPointSchema>;

const ThemeSchema = z
  .object({ '@id': Iri, '@type': z.literal('skos:Concept'), 'skos:inScheme': Ref, 'skos:prefLabel': z.union([z.string(), z.array(LangString)]) })
  .strict();

const DistributionSchema = z
  .object({
    '@id': Iri,
    '@type': z.literal('dcat:Distribution'),
    'dct:title': z.string(),
    'dcat:accessURL': typedRef('rdfs:Resource'),
    'dcat:downloadURL': typedRef('rdfs:Resource'),
    'dcat:byteSize': Count,
    'spdx:checksum': z
      .object({
        '@type': z.literal('spdx:Checksum'),
        'spdx:algorithm': typedRef('spdx:ChecksumAlgorithm'),
        'spdx:checksumValue': typedLiteral('xsd:hexBinary'),
      })
      .strict()
      .optional(),
    'dct:license': typedRef('dct:LicenseDocument'),
    'dcat:mediaType': typedRef('dct:MediaType'),
    'dct:format': typedRef('dct:MediaTypeOrExtent').optional(),
    'dct:issued': DateTime.optional(),
  })
  .strict();

/** One open dataset as a DCAT-AP 3.0.0 `dcat:Dataset` node, its open versions as distributions. */
export const DcatDatasetNodeSchema = z
  .object({
    '@id': Iri,
    '@type': z.literal('dcat:Dataset'),
    'dct:identifier': PlainLiteral,
    'dct:title': z.string(),
    'dct:description': z.string(),
    'dcat:keyword': z.array(z.string()),
    'dcat:theme': ThemeSchema.optional(),
    'dct:publisher': DcatAgentSchema,
    'dcat:contactPoint': DcatContactPointSchema.optional(),
    'dct:license': typedRef('dct:LicenseDocument'),
    'dct:spatial': z.array(typedRef('dct:Location')),
    'dct:accessRights': typedRef('dct:RightsStatement'),
    'dct:issued': DateTime,
    'dct:modified': DateTime,
    'dcat:distribution': z.array(DistributionSchema),
  })
  .strict();
export type DcatDatasetNode = z.infer<typeof DcatDatasetNodeSchema>;

/** `GET /datasets/{id}`: the dataset's URI resolved, a self-contained JSON-LD document. */
export const LinkedDatasetSchema = DcatDatasetNodeSchema.extend({ '@context': Context }).meta({ id: 'LinkedDataset' });
export type LinkedDataset = z.infer<typeof LinkedDatasetSchema>;

/** One page of the catalogue: Hydra's view, typed for both generations of harvesters (`next` and `nextPage`). */
export const CatalogPageSchema = z
  .object({
    '@id': Iri,
    '@type': z.tuple([z.literal('hydra:PartialCollectionView'), z.literal('hydra:PagedCollection')]),
    'hydra:first': Ref,
    'hydra:next': Ref.optional(),
    'hydra:nextPage': Ref.optional(),
    'hydra:itemsPerPage': Count,
    'hydra:totalItems': Count,
  })
  .strict();

/** `GET /open/catalog.jsonld`: one page of the DCAT-AP 3.0.0 catalogue of open datasets. */
export const DcatCatalogSchema = z
  .object({
    '@context': Context,
    '@id': Iri,
    '@type': z.tuple([z.literal('dcat:Catalog'), z.literal('hydra:Collection')]),
    'dct:title': z.string(),
    'dct:description': z.string(),
    'dct:publisher': DcatAgentSchema,
    'dcat:contactPoint': DcatContactPointSchema.optional(),
    'dct:language': typedRef('dct:LinguisticSystem'),
    'dcat:themeTaxonomy': z.object({ '@id': Iri, '@type': z.literal('skos:ConceptScheme'), 'dct:title': LangString }).strict(),
    'hydra:totalItems': Count,
    'hydra:view': CatalogPageSchema,
    'dcat:dataset': z.array(DcatDatasetNodeSchema),
  })
  .strict()
  .meta({ id: 'DcatCatalog' });
export type DcatCatalog = z.infer<typeof DcatCatalogSchema>;

/** `GET /partners/{id}`: a partner's public description (its name only). */
export const LinkedPartnerSchema = z
  .object({
    '@context': Context,
    '@id': Iri,
    '@type': z.tuple([z.literal('foaf:Agent'), z.literal('org:Organization')]),
    'foaf:name': PlainLiteral,
  })
  .strict()
  .meta({ id: 'LinkedPartner' });
export type LinkedPartner = z.infer<typeof LinkedPartnerSchema>;

/** `GET /platform`: the platform that enforces licences and publishes the catalogue for the collectivity. */
export const LinkedPlatformSchema = z
  .object({
    '@context': Context,
    '@id': Iri,
    '@type': z.tuple([z.literal('foaf:Agent'), z.literal('prov:SoftwareAgent')]),
    'foaf:name': z.string(),
    'foaf:homepage': Ref,
    'rdfs:seeAlso': Ref,
    'prov:actedOnBehalfOf': DcatAgentSchema.optional(),
  })
  .strict()
  .meta({ id: 'LinkedPlatform' });
export type LinkedPlatform = z.infer<typeof LinkedPlatformSchema>;

const ProfileTermSchema = z
  .object({
    '@id': Iri,
    '@type': z.enum(['odrl:Action', 'odrl:LeftOperand', 'rdf:Property']),
    'rdfs:isDefinedBy': Ref,
    'skos:prefLabel': z.array(LangString),
    'skos:definition': z.array(LangString),
    'odrl:includedIn': Ref.optional(),
    'skos:broader': Ref.optional(),
  })
  .strict();

/** `GET /odrl/profile/v1`: the Comptoir ODRL profile, the profile first, then every term it declares. */
export const OdrlProfileSchema = z
  .object({
    '@context': Context,
    '@graph': z.tuple(
      [z.object({ '@id': Iri, '@type': z.literal('owl:Ontology'), 'dct:title': z.array(LangString), 'dct:description': z.array(LangString) }).strict()],
      ProfileTermSchema,
    ),
  })
  .strict()
  .meta({ id: 'OdrlProfile' });
export type OdrlProfile = z.infer<typeof OdrlProfileSchema>;
