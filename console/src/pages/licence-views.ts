import { html, nothing, type TemplateResult } from 'lit';
import type { ComptoirClient, ItemOf, ResponseOf } from '../../../sdk/client.ts';
import { formatDate, lang, t } from '../i18n/i18n.ts';
import type { PageContext } from '../router.ts';
import { formValues, shortId, stateBadge, table, textField } from '../ui/components.ts';

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

/** Titles of the datasets the licences are about (one read each, in parallel). */
export async function datasetTitles(api: ComptoirClient, licences: readonly Licence[]): Promise<Map<string, string>> {
  const ids = [...new Set(licences.map((l) => l.datasetId))];
  const found = await Promise.all(ids.map((id) => api.call('getDataset', { params: { id } }).then((d) => [id, d.title] as const, () => [id, id] as const)));
  return new Map(found);
}

/** Officer decision on a pending request: approve (reason optional) or reject (reason required), two forms so Enter never picks the wrong one. */
export function approvalForms(ctx: PageContext, licence: Licence): TemplateResult {
  const approve = (event: Event) => {
    const { reason } = formValues(event);
    void ctx.act(async () => (await ctx.api.call('approveLicence', { params: { id: licence.id }, body: reason ? { reason } : {} }), t('licences.approved')));
  };
  const reject = (event: Event) => {
    const { reason } = formValues(event);
    void ctx.act(async () => (await ctx.api.call('rejectLicence', { params: { id: licence.id }, body: { reason: reason ?? '' } }), t('licences.rejected')));
  };
  return html`<div class="cpt-decisions">
    <form class="cpt-actions fr-mb-2w" id="approve-${licence.id}" @submit=${approve}>
      ${textField({ name: 'reason', id: `approve-reason-${licence.id}`, label: t('inbox.approveReason'), hint: t('inbox.approveHint') })}
      <button class="fr-btn" type="submit">${t('licences.approve')}</button>
    </form>
    <form class="cpt-actions fr-mb-2w" id="reject-${licence.id}" @submit=${reject}>
      ${textField({ name: 'reason', id: `reject-reason-${licence.id}`, label: t('inbox.rejectReason'), hint: t('common.reasonHint'), required: true, minlength: 3 })}
      <button class="fr-btn fr-btn--secondary" type="submit">${t('licences.reject')}</button>
    </form>
  </div>`;
}
