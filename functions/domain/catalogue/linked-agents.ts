import type { PartnerPublicProfile } from '../../../schemas/partner.ts';
import type { LinkedPartner, LinkedPlatform } from '../../../schemas/linked-data.ts';
import { consolePageUrl } from '../console-links.ts';
import { agent, partnerIri } from './dcat.ts';

const CONTEXT = {
  foaf: 'http://xmlns.com/foaf/0.1/',
  org: 'http://www.w3.org/ns/org#',
  prov: 'http://www.w3.org/ns/prov#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  '@language': 'fr',
};

/** A partner's public description, as its URI resolves: its name and nothing else (no e-mail, no SIREN). */
export function describePartner(baseUrl: string, partner: Pick<PartnerPublicProfile, 'id' | 'name'>): LinkedPartner {
  return { '@context': CONTEXT, '@id': partnerIri(baseUrl, partner.id), '@type': ['foaf:Agent', 'org:Organization'], 'foaf:name': { '@value': partner.name } };
}

/** The platform as its URI resolves: the agent that enforces licences and publishes the catalogue for the collectivity. */
export function describePlatform(baseUrl: string, collectivity: { id: string; name: string } | undefined): LinkedPlatform {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    '@context': CONTEXT,
    '@id': `${base}/platform`,
    '@type': ['foaf:Agent', 'prov:SoftwareAgent'],
    'foaf:name': collectivity ? `Plateforme de données territoriales de ${collectivity.name}` : 'Plateforme de données territoriales',
    'foaf:homepage': { '@id': consolePageUrl(base) },
    'rdfs:seeAlso': { '@id': `${base}/open/catalog.jsonld` },
    ...(collectivity ? { 'prov:actedOnBehalfOf': agent(partnerIri(base, collectivity.id), collectivity.name) } : {}),
  };
}
