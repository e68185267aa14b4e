import { html } from 'lit';
import { t } from '../i18n/i18n.ts';
import type { Page } from '../router.ts';
import { pageTitle } from '../ui/components.ts';
import { appliedRules, approvalForms, clauseTexts, datasetTitles } from './licence-views.ts';

/** The officers' inbox: each pending request with its effective clauses and the rules that applied, to approve or reject. */
export const inboxPage: Page = async (ctx) => {
  const [pending, policy] = await Promise.all([ctx.api.all('listLicences', { query: { state: 'pending_approval' } }, 500), ctx.api.call('getPolicy')]);
  const titles = await datasetTitles(ctx.api, pending);
  return html`${pageTitle(t('inbox.title'))}
    ${pending.length === 0 ? html`<p>${t('inbox.empty')}</p>` : ''}
    ${pending.map(
      (l) => html`<article class="cpt-card" data-licence=${l.id} aria-labelledby="req-${l.id}">
        <h2 class="fr-h5" id="req-${l.id}"><a href="#/licences/${l.id}">${titles.get(l.datasetId) ?? l.datasetId}</a></h2>
        <p>${t('inbox.requestedBy', { licensee: l.licensee.name, dataset: titles.get(l.datasetId) ?? l.datasetId, licensor: l.licensor.name, purpose: l.purpose })}</p>
        <h3 class="fr-h6">${t('licences.clauses')}</h3>
        ${clauseTexts(l)}
        <h3 class="fr-h6">${t('licences.policyRules')}</h3>
        ${appliedRules(l, policy)}
        ${approvalForms(ctx, l)}
      </article>`,
    )}`;
};
