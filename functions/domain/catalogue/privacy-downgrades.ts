import type { Dataset, PrivacyDowngrade } from '../../../schemas/index.ts';

type PrivacyView = Pick<Dataset, 'classification' | 'schema'>;

/**
 * What an edit makes less private, from the dataset as it is to the dataset as it would be; empty
 * for edits that keep or raise privacy. Pure: the catalogue asks an officer whenever this is not empty.
 */
export function privacyDowngradesOf(before: PrivacyView, after: PrivacyView): PrivacyDowngrade[] {
  const found: PrivacyDowngrade[] = [];
  const afterFields = new Map((after.schema?.fields ?? []).map((f) => [f.name, f]));
  for (const field of before.schema?.fields ?? []) {
    if (!field.personal) continue;
    const next = afterFields.get(field.name);
    // Pseudonymisation goes by field name: a removed or renamed column in published versions would reach licensees as it is.
    if (!next) {
      found.push({
        kind: 'personal_field_removed',
        field: field.name,
        description: `personal field "${field.name}" leaves the schema (removed or renamed): its values in published versions would reach licensees without a pseudonym`,
      });
    } else if (!next.personal) {
      found.push({
        kind: 'personal_flag_removed',
        field: field.name,
        description: `field "${field.name}" is no longer flagged personal: licensees would receive its values as they are, not pseudonymised`,
      });
    }
  }
  const from = before.classification;
  const to = after.classification;
  if (to === 'open' && from !== 'open') {
    found.push({ kind: 'classification_opened', from, to, description: `classification ${from} → open: every published version becomes downloadable by anyone, without a key, under /open` });
  }
  if (from === 'restricted' && to !== 'restricted') {
    found.push({ kind: 'restriction_lifted', from, to, description: `classification restricted → ${to}: licences on the bytes no longer need an officer's approval` });
  }
  return found;
}
