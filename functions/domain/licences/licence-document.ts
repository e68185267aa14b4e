import { addDuration } from '../../../contracts/calendar.ts';
import type { Clause } from '../../../contracts/clauses/clause.ts';
import { describeClause } from '../../../contracts/clauses/texts.ts';
import { fillPlaceholders as fill, type PlaceholderValues } from '../../../contracts/placeholders.ts';
import type { LicenceTemplate } from '../../../contracts/templates.ts';
import type { LicenceDocument } from '../../../schemas/index.ts';
import type { StoredLicence } from '../../ports/licensing.ts';

/** Clause texts in both languages, in clause order, with `{{licensor}}`-style names filled in. */
export function clauseTexts(clauses: readonly Clause[], values: PlaceholderValues = {}) {
  return { fr: clauses.map((c) => fill(describeClause(c, 'fr'), values)), en: clauses.map((c) => fill(describeClause(c, 'en'), values)) };
}

/** When the licence stops being valid: the earliest end its validity clauses allow (none: open-ended). */
export function validityEnd(clauses: readonly Clause[], activatedAt: string): string | undefined {
  const ends = clauses.flatMap((c) =>
    c.kind !== 'validity' ? [] : [...(c.params.maxDuration ? [addDuration(activatedAt, c.params.maxDuration)] : []), ...(c.params.notAfter ? [new Date(c.params.notAfter).toISOString()] : [])],
  );
  return ends.sort()[0];
}

/** The document the licensee accepts and the platform countersigns; its canonical JSON is digested. */
export function licenceDocument(licence: StoredLicence, template: LicenceTemplate, dataset: { id: string; title: string }, issuedAt: string, offerDigest: string): LicenceDocument {
  const until = validityEnd(licence.clauses, issuedAt);
  const values = {
    licensor: licence.licensor.name,
    licensee: licence.licensee.name,
    dataset: dataset.title,
    purpose: licence.purpose,
  };
  const validity = {
    fr: until ? `du ${issuedAt.slice(0, 10)} au ${until.slice(0, 10)}` : `à compter du ${issuedAt.slice(0, 10)}`,
    en: until ? `from ${issuedAt.slice(0, 10)} to ${until.slice(0, 10)}` : `from ${issuedAt.slice(0, 10)}`,
  };
  return {
    licenceId: licence.id,
    offer: { id: licence.offerId, digest: offerDigest },
    licensor: licence.licensor,
    licensee: licence.licensee,
    dataset,
    template: { id: template.id, title: template.title.fr, ...(template.uri ? { uri: template.uri } : {}) },
    purpose: licence.purpose,
    clauses: licence.clauses,
    texts: clauseTexts(licence.clauses, values),
    legalText: { fr: fill(template.text.fr, { ...values, validity: validity.fr }), en: fill(template.text.en, { ...values, validity: validity.en }) },
    policy: licence.policy,
    validity: { from: issuedAt, ...(until ? { until } : {}) },
    issuedAt,
  };
}
