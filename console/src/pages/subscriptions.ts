import { html, nothing } from 'lit';
import { formatDate, t, tOr } from '../i18n/i18n.ts';
import type { Page } from '../router.ts';
import { formValues, pageTitle, selectField, shortId, stateBadge, table, textField } from '../ui/components.ts';

/** Webhook subscriptions of the caller, their deliveries and attempts; subscribe, rotate, unsubscribe. */
export const subscriptionsPage: Page = async (ctx) => {
  const [subs, licences] = await Promise.all([ctx.api.call('listSubscriptions'), ctx.api.all('listLicences', { query: { state: 'active' } }, 500)]);
  const deliveries = await Promise.all(subs.items.map((s) => ctx.api.call('listDeliveries', { params: { id: s.id } }).then((d) => d.items, () => [])));
  const mine = licences.filter((l) => l.licensee.id === ctx.me.partner.id);
  const create = (e: Event) => {
    const v = formValues(e);
    void ctx.act(async () => {
      const created = await ctx.api.call('createSubscription', { body: { licenceId: v.licenceId ?? '', webhook: { url: v.url ?? '' } } });
      return `${t('subs.created', { secret: created.secret })} ${t('common.copyHint')}`;
    });
  };
  return html`${pageTitle(t('subs.title'), t('subs.intro'))}
    ${subs.items.length === 0 ? html`<p>${t('common.none')}</p>` : nothing}
    ${subs.items.map((s, i) => html`<article class="cpt-card" aria-labelledby="sub-${s.id}">
      <h2 class="fr-h5" id="sub-${s.id}"><code>${s.webhook.url}</code> ${stateBadge('subs.status', s.status)}</h2>
      <p>${t('subs.licence')} <a href="#/licences/${s.licenceId}">${shortId(s.licenceId)}</a> · ${t('common.dataset')} <a href="#/datasets/${s.datasetId}">${shortId(s.datasetId)}</a>${s.statusReason ? html` · ${s.statusReason}` : nothing}</p>
      ${s.legacySignature ? html`<p class="fr-text--sm">${t('subs.legacy')}</p>` : nothing}
      <div class="cpt-actions fr-mb-2w">
        <button class="fr-btn fr-btn--sm fr-btn--secondary" type="button" @click=${() => confirm(t('confirm.rotate')) && void ctx.act(async () => `${t('subs.rotated', { secret: (await ctx.api.call('rotateSubscriptionSecret', { params: { id: s.id } })).secret })} ${t('common.copyHint')}`)}>${t('subs.rotate')}</button>
        <button class="fr-btn fr-btn--sm fr-btn--tertiary" type="button" @click=${() => confirm(t('confirm.deleteSub')) && void ctx.act(async () => (await ctx.api.call('deleteSubscription', { params: { id: s.id } }), t('subs.deleted')))}>${t('subs.delete')}</button>
      </div>
      ${table(t('subs.deliveries'), [t('dataset.version'), t('common.state'), t('subs.attempts')],
        (deliveries[i] ?? []).map((d) => html`<tr><td>${d.version}</td><td>${stateBadge('delivery', d.status)}</td>
          <td><ul>${d.attempts.map((a) => html`<li>${formatDate(a.at)} — ${a.statusCode ?? a.error ?? '?'} (${a.latencyMs} ms)</li>`)}</ul></td></tr>`))}
    </article>`)}
    <section class="cpt-card" aria-labelledby="sub-create"><h2 class="fr-h4" id="sub-create">${t('subs.create')}</h2>
      <form @submit=${create}>
        ${selectField({ name: 'licenceId', label: t('subs.licence'), options: mine.map((l) => [l.id, `${l.id} — ${l.purpose}`] as const) })}
        ${textField({ name: 'url', label: t('subs.url'), type: 'url', required: true })}
        <button class="fr-btn" type="submit" ?disabled=${mine.length === 0}>${t('subs.create')}</button>
      </form></section>`;
};
