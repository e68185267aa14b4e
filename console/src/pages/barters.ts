import { html, nothing, type TemplateResult } from 'lit';
import type { ItemOf } from '../../../sdk/client.ts';
import { formatDate, t, tOr } from '../i18n/i18n.ts';
import type { Page, PageContext } from '../router.ts';
import { FormKey } from '../ui/idempotency.ts';
import { formValues, pageTitle, shortId, stateBadge, table, textField } from '../ui/components.ts';

type Barter = ItemOf<'listBarters'>;

function actions(ctx: PageContext, b: Barter): TemplateResult | typeof nothing {
  const done = (state: string) => t('barters.done', { state: tOr(`barter.${state}`, state) });
  if (ctx.me.role === 'officer' && b.state === 'pending_approval') {
    return html`${(['want', 'give'] as const).filter((side) => b[side].requiresApproval && !b[side].approved).map((side) => html`<button class="fr-btn fr-btn--sm fr-mb-1w" type="button"
      @click=${() => void ctx.act(async () => done((await ctx.api.call('approveBarter', { params: { id: b.id }, body: { side } })).state))}>${t('barters.approve', { side: t(side === 'want' ? 'barters.want' : 'barters.give') })}</button>`)}`;
  }
  if (b.counterparty.id === ctx.me.partner.id && b.state === 'proposed') {
    const accept = (e: Event) => {
      const { purpose } = formValues(e);
      void ctx.act(async () => done((await ctx.api.call('acceptBarter', { params: { id: b.id }, body: { purpose: purpose ?? '' }, idempotencyKey: `accept-${b.id}` })).state));
    };
    return html`<form class="cpt-actions" @submit=${accept}>${textField({ name: 'purpose', id: `accept-purpose-${b.id}`, label: t('common.purpose'), hint: t('common.purposeHint'), required: true })}<button class="fr-btn fr-btn--sm" type="submit">${t('barters.accept')}</button></form>
      <button class="fr-btn fr-btn--sm fr-btn--secondary fr-mt-1w" type="button" @click=${() => void ctx.act(async () => done((await ctx.api.call('declineBarter', { params: { id: b.id }, body: {} })).state))}>${t('barters.decline')}</button>`;
  }
  return nothing;
}

const proposalKey = new FormKey();

/** Barters: proposals, officer approvals per side, acceptance or decline by the counterparty. */
export const bartersPage: Page = async (ctx) => {
  const barters = await ctx.api.all('listBarters', {}, 500);
  const propose = (e: Event) => {
    const v = formValues(e);
    void ctx.act(async () => {
      const b = await ctx.api.call('proposeBarter', {
        body: { offerId: v.offerId ?? '', give: { offerId: v.giveOfferId ?? '', ...(v.credits ? { credits: Number(v.credits) } : {}) }, purpose: v.purpose ?? '' },
        idempotencyKey: proposalKey.current,
      });
      proposalKey.renew();
      return t('barters.done', { state: tOr(`barter.${b.state}`, b.state) });
    });
  };
  return html`${pageTitle(t('barters.title'))}
    ${table(t('barters.title'), [t('common.id'), t('barters.proposer'), t('barters.counterparty'), t('barters.want'), t('barters.give'), t('ledger.credits'), t('common.state'), t('common.created'), t('common.actions')],
      barters.map((b) => html`<tr><td>${shortId(b.id)}</td><td>${b.proposer.name}</td><td>${b.counterparty.name}</td>
        <td><a href="#/datasets/${b.want.datasetId}">${shortId(b.want.datasetId)}</a></td><td><a href="#/datasets/${b.give.datasetId}">${shortId(b.give.datasetId)}</a></td>
        <td>${b.credits ?? '—'}</td><td>${stateBadge('barter', b.state)}</td><td>${formatDate(b.createdAt)}</td><td>${actions(ctx, b)}</td></tr>`),
      { hiddenCaption: true })}
    ${ctx.me.role !== 'officer'
      ? html`<section class="cpt-card" aria-labelledby="propose-title"><h2 class="fr-h4" id="propose-title">${t('barters.propose')}</h2>
          <form @submit=${propose}>
            ${textField({ name: 'offerId', label: t('barters.wantOffer'), required: true })}
            ${textField({ name: 'giveOfferId', label: t('barters.giveOffer'), required: true })}
            ${textField({ name: 'credits', label: t('barters.credits'), type: 'number', min: '1' })}
            ${textField({ name: 'purpose', label: t('common.purpose'), hint: t('common.purposeHint'), required: true })}
            <button class="fr-btn" type="submit">${t('barters.propose')}</button>
          </form></section>`
      : nothing}`;
};
