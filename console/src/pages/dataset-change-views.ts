import { html, nothing, type TemplateResult } from 'lit';
import type { ComptoirClient, ItemOf } from '../../../sdk/client.ts';
import { formatDate, t, tOr } from '../i18n/i18n.ts';
import type { PageContext } from '../router.ts';
import { formValues, textField } from '../ui/components.ts';

export type DatasetChange = ItemOf<'listDatasetChanges'>;
type Downgrade = DatasetChange['downgrades'][number];

const classification = (c: string) => tOr(`classification.${c}`, c);

/** What would become less private, in the console's language (the API's English words as a fallback). */
function downgradeText(d: Downgrade): string {
  switch (d.kind) {
    case 'personal_flag_removed':
    case 'personal_field_removed':
      return t(`downgrade.${d.kind}`, { field: d.field });
    case 'classification_opened':
    case 'restriction_lifted':
      return t(`downgrade.${d.kind}`, { from: classification(d.from), to: classification(d.to) });
  }
}

/** The publishers of the datasets the requests are about (one read each, in parallel). */
export async function publishersOf(api: ComptoirClient, changes: readonly DatasetChange[]): Promise<Map<string, string>> {
  const ids = [...new Set(changes.map((c) => c.datasetId))];
  const found = await Promise.all(ids.map((id) => api.call('getDataset', { params: { id } }).then((d) => [id, d.publisher.name] as const, () => [id, id] as const)));
  return new Map(found);
}

/** One pending change request: what it lowers, who asked, and the officer's decision (never by the requesting key). */
export function datasetChangeCard(ctx: PageContext, change: DatasetChange, publisher: string): TemplateResult {
  const own = change.requestedBy.keyId === ctx.me.principal.keyId;
  const approve = (event: Event) => {
    const { reason } = formValues(event);
    void ctx.act(async () => (await ctx.api.call('approveDatasetChange', { params: { id: change.id }, body: reason ? { reason } : {} }), t('changes.approved')));
  };
  const reject = (event: Event) => {
    const { reason } = formValues(event);
    void ctx.act(async () => (await ctx.api.call('rejectDatasetChange', { params: { id: change.id }, body: { reason: reason ?? '' } }), t('changes.rejected')));
  };
  return html`<article class="cpt-card" data-dataset-change=${change.id} aria-labelledby="chg-${change.id}">
    <h3 class="fr-h5" id="chg-${change.id}"><a href="#/datasets/${change.datasetId}">${change.datasetTitle}</a></h3>
    <p>${t('changes.requestedBy', { publisher, date: formatDate(change.requestedAt), key: change.requestedBy.keyId })}</p>
    <p class="fr-text--sm">${t('changes.fields', { fields: Object.keys(change.patch).join(', ') })}</p>
    <h4 class="fr-h6">${t('changes.downgrades')}</h4>
    <ul data-downgrades>${change.downgrades.map((d) => html`<li>${downgradeText(d)}</li>`)}</ul>
    <div class="cpt-decisions">
      ${own
        ? html`<p class="fr-text--sm" data-four-eyes>${t('changes.ownRequest')}</p>`
        : html`<form class="cpt-actions fr-mb-2w" id="approve-${change.id}" @submit=${approve}>
            ${textField({ name: 'reason', id: `approve-reason-${change.id}`, label: t('inbox.approveReason'), hint: t('inbox.approveHint') })}
            <button class="fr-btn" type="submit">${t('licences.approve')}</button>
          </form>`}
      <form class="cpt-actions fr-mb-2w" id="reject-${change.id}" @submit=${reject}>
        ${textField({ name: 'reason', id: `reject-reason-${change.id}`, label: t('inbox.rejectReason'), hint: t('common.reasonHint'), required: true, minlength: 3 })}
        <button class="fr-btn fr-btn--secondary" type="submit">${t('licences.reject')}</button>
      </form>
    </div>
  </article>`;
}

/** The inbox section of pending dataset changes. */
export const datasetChangeSection = (ctx: PageContext, changes: readonly DatasetChange[], publishers: ReadonlyMap<string, string>): TemplateResult =>
  html`<section aria-labelledby="changes-title" class="fr-mt-6w">
    <h2 id="changes-title">${t('changes.title')}</h2>
    ${changes.length === 0 ? html`<p>${t('changes.empty')}</p>` : nothing}
    ${changes.map((c) => datasetChangeCard(ctx, c, publishers.get(c.datasetId) ?? c.requestedBy.partnerId))}
  </section>`;
