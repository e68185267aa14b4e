import { html } from 'lit';
import { t } from '../i18n/i18n.ts';
import type { Page } from '../router.ts';
import { pageTitle } from '../ui/components.ts';
import { datasetChangeSection, publishersOf } from './dataset-change-views.ts';
import { appliedRules, approvalForms, clauseTexts, datasetTitles } from './licence-views.ts';

/** The officers' inbox: pending licence requests with their effective clauses and rules, then dataset edits that lower privacy. */
export const inboxPage: Page = async (ctx) => {
  const [pending, policy, changes] = await Promise.all([
    ctx.api.all('listLicences', { query: { state: 'pending_approval' } }, 500),
    ctx.api.call('getPolicy'),
    ctx.api.all('listDatasetChanges', { query: { state: 'pending' } }, 500),
  ]);
  const [titles, publishers] = await Promise.all([datasetTitles(ctx.api, pending), publishersOf(ctx.api, changes)]);
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
    )}
    ${datasetChangeSection(ctx, changes, publishers)}`;
};
