import type { OdrlProfile } from '../../../schemas/linked-data.ts';

/** The Comptoir ODRL profile; profile-specific terms live under `${COMPTOIR_ODRL_PROFILE}/`. */
export const COMPTOIR_ODRL_PROFILE = 'https://comptoir.eu/odrl/profile/v1';

type Words = { readonly fr: string; readonly en: string };
interface TermDefinition {
  readonly label: Words;
  readonly definition: Words;
}
/** An action of the profile and the ODRL action it refines (ODRL 2.2 §3.3: `includedIn` its parent). */
interface ActionDefinition extends TermDefinition {
  readonly includedIn: `odrl:${string}`;
}

/** Actions the export uses beyond the ODRL Common Vocabulary. */
export const PROFILE_ACTIONS = {
  pseudonymise: {
    includedIn: 'odrl:anonymize',
    label: { fr: 'pseudonymiser', en: 'pseudonymise' },
    definition: {
      fr: 'Remplacer les valeurs de champs par des pseudonymes à clé (HMAC-SHA-256), stables au sein d’une licence : une pseudonymisation, non une anonymisation au sens du RGPD.',
      en: 'Replace field values with keyed pseudonyms (HMAC-SHA-256), stable within one licence: pseudonymisation, not anonymisation in the GDPR sense.',
    },
  },
  excludeZone: {
    includedIn: 'odrl:modify',
    label: { fr: 'exclure une zone', en: 'exclude a zone' },
    definition: { fr: 'Retirer les lignes dont la position tombe dans une couche de zones (par exemple les abords des écoles).', en: 'Remove the rows whose position falls inside a zone layer (for example around schools).' },
  },
  generaliseCoordinates: {
    includedIn: 'odrl:modify',
    label: { fr: 'généraliser les coordonnées', en: 'generalise coordinates' },
    definition: { fr: 'Arrondir les coordonnées à un nombre de décimales.', en: 'Round coordinates to a number of decimals.' },
  },
  shareBack: {
    includedIn: 'odrl:use',
    label: { fr: 'partager en retour', en: 'share back' },
    definition: { fr: 'Publier sur la plateforme, au rythme convenu, un jeu de données du thème convenu.', en: 'Publish on the platform, as often as agreed, a dataset of the agreed theme.' },
  },
  reidentify: {
    includedIn: 'odrl:use',
    label: { fr: 'réidentifier', en: 're-identify' },
    definition: { fr: 'Retrouver les personnes derrière des données pseudonymisées ou agrégées.', en: 'Find the persons behind pseudonymised or aggregated data.' },
  },
} as const satisfies Record<string, ActionDefinition>;
export type ProfileAction = keyof typeof PROFILE_ACTIONS;

const term = (fr: string, en: string, defFr: string, defEn: string): TermDefinition => ({ label: { fr, en }, definition: { fr: defFr, en: defEn } });

/** Left operands of the constraints and refinements the export writes. */
export const PROFILE_LEFT_OPERANDS = {
  zone: term('zone', 'zone', 'La couche de zones à exclure.', 'The zone layer to exclude.'),
  geopointField: term('champ géopoint', 'geopoint field', 'Le champ qui porte la position « lat,lon ».', 'The field holding the "lat,lon" position.'),
  latitudeField: term('champ latitude', 'latitude field', 'Le champ qui porte la latitude.', 'The field holding the latitude.'),
  longitudeField: term('champ longitude', 'longitude field', 'Le champ qui porte la longitude.', 'The field holding the longitude.'),
  technique: term('technique', 'technique', 'La technique qui réalise l’action.', 'The technique that performs the action.'),
  groupSize: term('taille de groupe', 'group size', 'Le nombre minimal de lignes par groupe (k-anonymat).', 'The least number of rows per group (k-anonymity).'),
  quasiIdentifier: term('quasi-identifiant', 'quasi-identifier', 'Les champs qui, combinés, pourraient identifier une personne.', 'The fields that together could identify a person.'),
  field: term('champ', 'field', 'Les champs concernés.', 'The fields concerned.'),
  decimals: term('décimales', 'decimals', 'Le nombre de décimales conservées.', 'The number of decimals kept.'),
  theme: term('thème', 'theme', 'Le thème du jeu de données à partager.', 'The theme of the dataset to share.'),
  gracePeriod: term('délai de grâce', 'grace period', 'Le délai accordé après chaque échéance.', 'The time allowed after each due date.'),
  attributionText: term('mention d’attribution', 'attribution text', 'Le texte de la mention à afficher.', 'The credit text to show.'),
  afterExpiry: term('après expiration', 'after expiry', 'Le délai, après la fin de la licence, dans lequel agir.', 'The time, after the licence ends, within which to act.'),
} as const satisfies Record<string, TermDefinition>;
export type ProfileLeftOperand = keyof typeof PROFILE_LEFT_OPERANDS;

/** Properties the export attaches to its nodes. */
export const PROFILE_PROPERTIES = {
  clause: term('clause', 'clause', 'Le type de clause Comptoir dont provient le nœud.', 'The Comptoir clause kind the node comes from.'),
  per: term('par période', 'per period', 'La fenêtre de temps d’un quota.', 'The time window of a quota.'),
  performedBy: term('réalisé par', 'performed by', 'Qui réalise la transformation avant la livraison.', 'Who performs the transform before delivery.'),
  digest: term('empreinte', 'digest', 'SHA-256 de la forme canonique (RFC 8785) du document de licence.', 'SHA-256 of the canonical form (RFC 8785) of the licence document.'),
  declaredPurpose: term('finalité déclarée', 'declared purpose', 'La finalité que le licencié a déclarée.', 'The purpose the licensee declared.'),
} as const satisfies Record<string, TermDefinition>;
export type ProfileProperty = keyof typeof PROFILE_PROPERTIES;

const words = (w: Words) => [
  { '@value': w.fr, '@language': 'fr' },
  { '@value': w.en, '@language': 'en' },
];

function declared(name: string, type: 'odrl:Action' | 'odrl:LeftOperand' | 'rdf:Property', t: TermDefinition) {
  return { '@id': `comptoir:${name}`, '@type': type, 'rdfs:isDefinedBy': { '@id': COMPTOIR_ODRL_PROFILE }, 'skos:prefLabel': words(t.label), 'skos:definition': words(t.definition) };
}

/** The profile document (JSON-LD, self-contained context): each term declared, each action `includedIn` the ODRL action it refines. */
export function comptoirOdrlProfile(): OdrlProfile {
  return {
    '@context': {
      odrl: 'http://www.w3.org/ns/odrl/2/',
      rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
      rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
      skos: 'http://www.w3.org/2004/02/skos/core#',
      owl: 'http://www.w3.org/2002/07/owl#',
      dct: 'http://purl.org/dc/terms/',
      comptoir: `${COMPTOIR_ODRL_PROFILE}/`,
    },
    '@graph': [
      {
        '@id': COMPTOIR_ODRL_PROFILE,
        '@type': 'owl:Ontology',
        'dct:title': words({ fr: 'Profil ODRL de Comptoir', en: 'Comptoir ODRL profile' }),
        'dct:description': words({
          fr: 'Les termes des licences Comptoir exportées en ODRL 2.2 : transformations que la plateforme applique avant livraison, obligations et interdits du licencié.',
          en: 'The terms of Comptoir licences exported as ODRL 2.2: transforms the platform applies before delivery, obligations and prohibitions of the licensee.',
        }),
      },
      ...Object.entries(PROFILE_ACTIONS).map(([name, a]) => ({
        ...declared(name, 'odrl:Action', a),
        // ODRL 2.2 §3.3 asks for includedIn; skos:broader states the same for SKOS readers.
        'odrl:includedIn': { '@id': a.includedIn },
        'skos:broader': { '@id': a.includedIn },
      })),
      ...Object.entries(PROFILE_LEFT_OPERANDS).map(([name, t]) => declared(name, 'odrl:LeftOperand', t)),
      ...Object.entries(PROFILE_PROPERTIES).map(([name, t]) => declared(name, 'rdf:Property', t)),
    ],
  };
}
