import type { Clause, ClauseKind, PositionRef } from './clause.ts';

export type Lang = 'fr' | 'en';

const list = (items: readonly string[], lang: Lang) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${lang === 'fr' ? 'et' : 'and'} ${items.at(-1)}`;
const UNITS: readonly [string, Record<Lang, [string, string]>][] = [
  ['Y', { fr: ['an', 'ans'], en: ['year', 'years'] }],
  ['M', { fr: ['mois', 'mois'], en: ['month', 'months'] }],
  ['W', { fr: ['semaine', 'semaines'], en: ['week', 'weeks'] }],
  ['D', { fr: ['jour', 'jours'], en: ['day', 'days'] }],
  ['h', { fr: ['heure', 'heures'], en: ['hour', 'hours'] }],
  ['m', { fr: ['minute', 'minutes'], en: ['minute', 'minutes'] }],
  ['s', { fr: ['seconde', 'secondes'], en: ['second', 'seconds'] }],
];

/** `5 jours`, `1 day`: the noun by the language's plural rules (French singular for 0 and 1). */
const counted = (n: number, lang: Lang, forms: Record<Lang, [string, string]>) =>
  `${n} ${forms[lang][new Intl.PluralRules(lang).select(n) === 'one' ? 0 : 1]}`;
const DAYS: Record<Lang, [string, string]> = { fr: ['jour', 'jours'], en: ['day', 'days'] };
const DECIMALS: Record<Lang, [string, string]> = { fr: ['décimale', 'décimales'], en: ['decimal', 'decimals'] };

/** `P1Y2M` as `1 an et 2 mois`; anything that is not an ISO-8601 duration is returned as it is. */
export function humanDuration(iso: string, lang: Lang): string {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(iso);
  if (!m) return iso;
  const parts = UNITS.flatMap(([, names], i) => {
    const n = Number(m[i + 1] ?? 0);
    return n ? [`${n} ${names[lang][n > 1 ? 1 : 0]}`] : [];
  });
  return parts.length ? list(parts, lang) : iso;
}

/** `every P1M` as `chaque mois` / `every month`, `every P3M` as `tous les 3 mois` / `every 3 months`. */
function everyPeriod(iso: string, lang: Lang): string {
  const single = /^P(?:1([YMWD])|T1([HMS]))$/.exec(iso);
  if (single) {
    const unit = single[1] ?? single[2]!.toLowerCase();
    const names = UNITS.find(([u]) => u === unit)?.[1][lang];
    if (names) return lang === 'fr' ? `chaque ${names[0]}` : `every ${names[0]}`;
  }
  return lang === 'fr' ? `tous les ${humanDuration(iso, lang)}` : `every ${humanDuration(iso, lang)}`;
}

const THEMES: Record<string, Record<Lang, string>> = {
  mobility: { fr: 'mobilité', en: 'mobility' }, energy: { fr: 'énergie', en: 'energy' }, water: { fr: 'eau', en: 'water' },
  waste: { fr: 'déchets', en: 'waste' }, environment: { fr: 'environnement', en: 'environment' }, urbanism: { fr: 'urbanisme', en: 'urbanism' },
  economy: { fr: 'économie', en: 'economy' }, population: { fr: 'population', en: 'population' }, culture: { fr: 'culture', en: 'culture' },
  tourism: { fr: 'tourisme', en: 'tourism' }, safety: { fr: 'sécurité', en: 'safety' }, other: { fr: 'autre', en: 'other' },
};
const KINDS: Record<string, Record<Lang, string>> = {
  collectivity: { fr: 'collectivité', en: 'collectivity' }, public: { fr: 'acteur public', en: 'public body' },
  dsp: { fr: 'délégataire de service public', en: 'public-service operator' }, private: { fr: 'entreprise', en: 'company' },
};
const named = (table: Record<string, Record<Lang, string>>, key: string, lang: Lang) => table[key]?.[lang] ?? key;
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
        c.params.maxDuration && (fr ? `pour une durée maximale de ${humanDuration(c.params.maxDuration, lang)}` : `for at most ${humanDuration(c.params.maxDuration, lang)}`),
        c.params.notBefore && (fr ? `à partir du ${c.params.notBefore}` : `from ${c.params.notBefore}`),
        c.params.notAfter && (fr ? `jusqu'au ${c.params.notAfter}` : `until ${c.params.notAfter}`),
      ].filter(Boolean) as string[];
      return fr ? `La licence est valable ${list(parts, lang)}.` : `The licence is valid ${list(parts, lang)}.`;
    }
    case 'quota':
      return fr ? `Au plus ${c.params.count} accès par période de ${humanDuration(c.params.per, lang)}.` : `At most ${c.params.count} accesses per period of ${humanDuration(c.params.per, lang)}.`;
    case 'partner-kinds':
      return fr ? `Réservé aux partenaires de type : ${list(c.params.kinds.map((k) => named(KINDS, k, lang)), lang)}.` : `Only for partners of kind: ${list(c.params.kinds.map((k) => named(KINDS, k, lang)), lang)}.`;
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
        ? `Coordonnées (${position(c.params.position)}) arrondies à ${counted(c.params.decimals, lang, DECIMALS)}.`
        : `Coordinates (${position(c.params.position)}) rounded to ${counted(c.params.decimals, lang, DECIMALS)}.`;
    case 'share-back':
      return fr
        ? `Le bénéficiaire publie un jeu de données du thème « ${named(THEMES, c.params.theme, lang)} » ${everyPeriod(c.params.every, lang)} (délai de grâce : ${counted(c.params.graceDays, lang, DAYS)}).`
        : `The licensee publishes a dataset of theme "${named(THEMES, c.params.theme, lang)}" ${everyPeriod(c.params.every, lang)} (grace: ${counted(c.params.graceDays, lang, DAYS)}).`;
    case 'attribution':
      return fr ? `Toute réutilisation mentionne : « ${c.params.text} ».` : `Every reuse credits: "${c.params.text}".`;
    case 'delete-on-expiry':
      return fr
        ? `À l'échéance, le bénéficiaire supprime les données sous ${counted(c.params.withinDays, lang, DAYS)} et l'atteste.`
        : `On expiry the licensee deletes the data within ${counted(c.params.withinDays, lang, DAYS)} and attests it.`;
    case 'usage-report':
      return fr ? `Le bénéficiaire remet un rapport d'usage ${everyPeriod(c.params.every, lang)}.` : `The licensee files a usage report ${everyPeriod(c.params.every, lang)}.`;
    case 'no-resale':
      return fr ? 'Le bénéficiaire atteste ne pas revendre les données.' : 'The licensee attests it will not resell the data.';
    case 'no-reidentification':
      return fr ? 'Le bénéficiaire atteste ne pas chercher à réidentifier des personnes.' : 'The licensee attests it will not try to re-identify people.';
  }
}
