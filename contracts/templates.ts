import type { Clause } from './clauses/clause.ts';

export type TemplateId = 'etalab-2.0' | 'odbl-1.0' | 'territorial-restricted' | 'mobility' | 'dsp-data';

/** A licence template: its legal text with placeholders, and the clauses an offer starts from. */
export interface LicenceTemplate {
  readonly id: TemplateId;
  readonly title: { readonly fr: string; readonly en: string };
  /** `{{licensor}}`, `{{licensee}}`, `{{dataset}}`, `{{purpose}}`, `{{validity}}` are filled in the licence document. */
  readonly text: { readonly fr: string; readonly en: string };
  readonly openData: boolean;
  /** The official licence, for open-data templates. */
  readonly uri?: string;
  readonly defaultClauses: readonly Clause[];
}

/** The licences a territory offers, from open data to operator data under a DSP contract. */
export const LICENCE_TEMPLATES: readonly LicenceTemplate[] = [
  {
    id: 'etalab-2.0',
    title: { fr: 'Licence Ouverte / Open Licence 2.0 (Etalab)', en: 'Licence Ouverte / Open Licence 2.0 (Etalab)' },
    text: {
      fr: "{{licensor}} concède à tout réutilisateur le droit de reproduire, copier, adapter, modifier, extraire, transformer et exploiter « {{dataset}} », y compris commercialement, sous réserve d'en mentionner la paternité (source et date de dernière mise à jour). Licence Ouverte 2.0 : https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
      en: '{{licensor}} grants every reuser the right to reproduce, copy, adapt, modify, extract, transform and exploit "{{dataset}}", commercially included, provided the source and the date of its last update are credited. Licence Ouverte 2.0: https://www.etalab.gouv.fr/licence-ouverte-open-licence/',
    },
    openData: true,
    uri: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/',
    defaultClauses: [{ kind: 'attribution', params: { text: 'Source : {{licensor}}' } }],
  },
  {
    id: 'odbl-1.0',
    title: { fr: 'Open Database License (ODbL) 1.0', en: 'Open Database License (ODbL) 1.0' },
    text: {
      fr: "{{licensor}} met « {{dataset}} » à disposition sous ODbL 1.0 : toute base de données dérivée rendue publique l'est sous la même licence, avec attribution. https://opendatacommons.org/licenses/odbl/1-0/",
      en: '{{licensor}} makes "{{dataset}}" available under ODbL 1.0: any derived database made public is shared alike, with attribution. https://opendatacommons.org/licenses/odbl/1-0/',
    },
    openData: true,
    uri: 'https://opendatacommons.org/licenses/odbl/1-0/',
    defaultClauses: [{ kind: 'attribution', params: { text: '© {{licensor}}, ODbL 1.0' } }],
  },
  {
    id: 'territorial-restricted',
    title: { fr: "Licence territoriale d'usage restreint", en: 'Territorial restricted-use licence' },
    text: {
      fr: "{{licensor}} concède à {{licensee}} un droit d'usage non exclusif et non cessible de « {{dataset}} » pour la finalité « {{purpose}} », {{validity}}, dans le respect des clauses ci-après, que la plateforme applique à chaque accès.",
      en: '{{licensor}} grants {{licensee}} a non-exclusive, non-transferable right to use "{{dataset}}" for the purpose "{{purpose}}", {{validity}}, under the clauses below, which the platform enforces on every access.',
    },
    openData: false,
    defaultClauses: [
      { kind: 'validity', params: { maxDuration: 'P1Y' } },
      { kind: 'no-resale', params: {} },
      { kind: 'no-reidentification', params: {} },
      { kind: 'delete-on-expiry', params: { withinDays: 30 } },
    ],
  },
  {
    id: 'mobility',
    title: { fr: 'Licence mobilités territoriale', en: 'Territorial mobility licence' },
    text: {
      fr: "Dans l'esprit de la Licence Mobilités, {{licensor}} concède à {{licensee}}, réutilisateur identifié, l'usage de « {{dataset}} » pour « {{purpose}} », {{validity}}. Le réutilisateur veille à la compatibilité de ses services avec la politique locale de circulation (article L1115-8-1 du code des transports) et partage en retour les données convenues.",
      en: 'In the spirit of the French Licence Mobilités, {{licensor}} grants {{licensee}}, an identified reuser, the use of "{{dataset}}" for "{{purpose}}", {{validity}}. The reuser keeps its services compatible with local traffic policy (French transport code L1115-8-1) and shares back the agreed data.',
    },
    openData: false,
    defaultClauses: [
      { kind: 'validity', params: { maxDuration: 'P1Y' } },
      { kind: 'attribution', params: { text: 'Données : {{licensor}}' } },
      { kind: 'no-reidentification', params: {} },
    ],
  },
  {
    id: 'dsp-data',
    title: { fr: 'Licence de données de délégation de service public', en: 'Public-service delegation data licence' },
    text: {
      fr: "Données produites par {{licensor}} dans l'exécution de sa délégation de service public et remises à l'autorité concédante (article L3131-2 du code de la commande publique). {{licensee}} les utilise pour « {{purpose}} », {{validity}}.",
      en: 'Data produced by {{licensor}} while operating its public-service delegation and handed to the contracting authority (French public procurement code L3131-2). {{licensee}} uses it for "{{purpose}}", {{validity}}.',
    },
    openData: false,
    defaultClauses: [
      { kind: 'purpose', params: { allowed: ['public-service'] } },
      { kind: 'no-resale', params: {} },
    ],
  },
];

export const templateById = (id: string): LicenceTemplate | undefined => LICENCE_TEMPLATES.find((t) => t.id === id);
