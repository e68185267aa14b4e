import type { Clause, ClauseKind, PositionRef } from './clause.ts';

export type Lang = 'fr' | 'en';

const list = (items: readonly string[], lang: Lang) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${lang === 'fr' ? 'et' : 'and'} ${items.at(-1)}`;
const position = (p: PositionRef) => ('geopoint' in p ? p.geopoint : `${p.lat}/${p.lon}`);

/** Titles of the clause kinds, in both languages. */
export const CLAUSE_TITLES: Record<ClauseKind, Record<Lang, string>> = {
  purpose: { fr: 'Finalités autorisées', en: 'Allowed purposes' },
  validity: { fr: 'Durée de validité', en: 'Validity' },
  quota: { fr: "Quota d'accès", en: 'Access quota' },
  'partner-kinds': { fr: 'Catégories de bénéficiaires', en: 'Eligible partner kinds' },
  'eu-residency': { fr: "Livraison dans l'Union européenne", en: 'Delivery within the European Union' },
  'exclusion-zones': { fr: "Zones d'exclusion", en: 'Exclusion zones' },
  'k-anonymity': { fr: 'k-anonymat', en: 'k-anonymity' },
  'drop-fields': { fr: 'Champs supprimés', en: 'Dropped fields' },
  'redact-fields': { fr: 'Champs masqués', en: 'Redacted fields' },
  'pseudonymise-fields': { fr: 'Champs pseudonymisés', en: 'Pseudonymised fields' },
  'generalise-coordinates': { fr: 'Coordonnées généralisées', en: 'Generalised coordinates' },
  'share-back': { fr: 'Réciprocité (partage en retour)', en: 'Share-back (reciprocity)' },
  attribution: { fr: 'Attribution', en: 'Attribution' },
  'delete-on-expiry': { fr: "Suppression à l'échéance", en: 'Deletion on expiry' },
  'usage-report': { fr: "Rapport d'usage", en: 'Usage report' },
  'no-resale': { fr: 'Interdiction de revente', en: 'No resale' },
  'no-reidentification': { fr: 'Interdiction de réidentification', en: 'No re-identification' },
};

/** The clause in plain words, with its parameters, for officers and the licence document. */
export function describeClause(c: Clause, lang: Lang): string {
  const fr = lang === 'fr';
  switch (c.kind) {
    case 'purpose':
      return fr ? `Les données ne peuvent être utilisées que pour : ${list(c.params.allowed, lang)}.` : `The data may only be used for: ${list(c.params.allowed, lang)}.`;
    case 'validity': {
      const parts = [
        c.params.maxDuration && (fr ? `pour une durée maximale de ${c.params.maxDuration}` : `for at most ${c.params.maxDuration}`),
        c.params.notBefore && (fr ? `à partir du ${c.params.notBefore}` : `from ${c.params.notBefore}`),
        c.params.notAfter && (fr ? `jusqu'au ${c.params.notAfter}` : `until ${c.params.notAfter}`),
      ].filter(Boolean) as string[];
      return fr ? `La licence est valable ${list(parts, lang)}.` : `The licence is valid ${list(parts, lang)}.`;
    }
    case 'quota':
      return fr ? `Au plus ${c.params.count} accès par période de ${c.params.per}.` : `At most ${c.params.count} accesses per ${c.params.per} period.`;
    case 'partner-kinds':
      return fr ? `Réservé aux partenaires de type : ${list(c.params.kinds, lang)}.` : `Only for partners of kind: ${list(c.params.kinds, lang)}.`;
    case 'eu-residency':
      return fr ? "Les données ne sont livrées que dans une région de l'Union européenne." : 'Data is delivered only to a region inside the European Union.';
    case 'exclusion-zones':
      return fr
        ? `Les lignes situées dans la couche de zones « ${c.params.zone} » (position ${position(c.params.position)}) sont retirées.`
        : `Rows inside the "${c.params.zone}" zone layer (position ${position(c.params.position)}) are removed.`;
    case 'k-anonymity':
      return fr
        ? `Les groupes de moins de ${c.params.k} lignes sur ${list(c.params.quasiIdentifiers, lang)} sont supprimés.`
        : `Groups of fewer than ${c.params.k} rows over ${list(c.params.quasiIdentifiers, lang)} are suppressed.`;
    case 'drop-fields':
      return fr ? `Champs supprimés : ${list(c.params.fields, lang)}.` : `Fields removed: ${list(c.params.fields, lang)}.`;
    case 'redact-fields':
      return fr ? `Champs vidés : ${list(c.params.fields, lang)}.` : `Fields emptied: ${list(c.params.fields, lang)}.`;
    case 'pseudonymise-fields':
      return fr
        ? `Champs remplacés par un pseudonyme propre à cette licence : ${list(c.params.fields, lang)}.`
        : `Fields replaced by a pseudonym specific to this licence: ${list(c.params.fields, lang)}.`;
    case 'generalise-coordinates':
      return fr
        ? `Coordonnées (${position(c.params.position)}) arrondies à ${c.params.decimals} décimale(s).`
        : `Coordinates (${position(c.params.position)}) rounded to ${c.params.decimals} decimal(s).`;
    case 'share-back':
      return fr
        ? `Le bénéficiaire publie un jeu de données du thème « ${c.params.theme} » tous les ${c.params.every} (délai de grâce ${c.params.graceDays} j).`
        : `The licensee publishes a dataset of theme "${c.params.theme}" every ${c.params.every} (grace ${c.params.graceDays} days).`;
    case 'attribution':
      return fr ? `Toute réutilisation mentionne : « ${c.params.text} ».` : `Every reuse credits: "${c.params.text}".`;
    case 'delete-on-expiry':
      return fr
        ? `À l'échéance, le bénéficiaire supprime les données sous ${c.params.withinDays} jour(s) et l'atteste.`
        : `On expiry the licensee deletes the data within ${c.params.withinDays} day(s) and attests it.`;
    case 'usage-report':
      return fr ? `Le bénéficiaire remet un rapport d'usage tous les ${c.params.every}.` : `The licensee files a usage report every ${c.params.every}.`;
    case 'no-resale':
      return fr ? 'Le bénéficiaire atteste ne pas revendre les données.' : 'The licensee attests it will not resell the data.';
    case 'no-reidentification':
      return fr ? 'Le bénéficiaire atteste ne pas chercher à réidentifier des personnes.' : 'The licensee attests it will not try to re-identify people.';
  }
}
