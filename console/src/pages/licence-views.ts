import { html, nothing, type TemplateResult } from 'lit';
import type { ItemOf, ResponseOf } from '../../../sdk/client.ts';
import { formatDate, lang, t } from '../i18n/i18n.ts';
import { shortId, stateBadge, table } from '../ui/components.ts';

export type Licence = ItemOf<'listLicences'>;
type Policy = ResponseOf<'getPolicy'>;

/** The effective clauses in plain language (French by default), as the signed document states them. */
export const clauseTexts = (licence: Licence): TemplateResult =>
  html`<ul class="cpt-clauses" data-clauses>${licence.texts[lang()].map((text) => html`<li>${text}</li>`)}</ul>`;

/** The territory rules that shaped the licence, with their descriptions when the policy still has them. */
export function appliedRules(licence: Licence, policy: Policy | undefined): TemplateResult {
  if (licence.policy.appliedRules.length === 0) return html`<p>${t('licences.noRules')}</p>`;
  const described = new Map(policy?.rules.map((r) => [r.id, r.description]) ?? []);
  return html`<p class="fr-text--sm">${t('licences.policyVersion', { version: licence.policy.version })}</p>
    <ul data-rules>${licence.policy.appliedRules.map((id) => html`<li><code>${id}</code>${described.get(id) ? html` — ${described.get(id)}` : nothing}</li>`)}</ul>`;
}

/** Licences as a table linking to each one. */
export const licenceTable = (licences: readonly Licence[], titles: ReadonlyMap<string, string>): TemplateResult =>
  table(
    t('licences.title'),
    [t('common.id'), t('common.dataset'), t('licences.licensor'), t('licences.licensee'), t('common.purpose'), t('common.state'), t('common.created')],
    licences.map(
      (l) => html`<tr data-licence=${l.id}>
        <td><a href="#/licences/${l.id}">${shortId(l.id)}</a></td>
        <td>${titles.get(l.datasetId) ?? l.datasetId}</td>
        <td>${l.licensor.name}</td>
        <td>${l.licensee.name}</td>
        <td><code>${l.purpose}</code></td>
        <td>${stateBadge('licence', l.state)}</td>
        <td>${formatDate(l.createdAt)}</td>
      </tr>`,
    ),
    { hiddenCaption: true },
  );
