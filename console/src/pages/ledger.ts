import { html, nothing } from 'lit';
import { formatDate, formatNumber, t, tOr } from '../i18n/i18n.ts';
import type { Page } from '../router.ts';
import { FormKey } from '../ui/idempotency.ts';
import { formValues, pageTitle, selectField, shortId, table, textField } from '../ui/components.ts';

const grantKey = new FormKey();

/** Credits: the balance and statement; officers pick a partner's account and grant credits. */
export const ledgerPage: Page = async (ctx) => {
  const officer = ctx.me.role === 'officer';
  const partnerId = ctx.query.get('partnerId') ?? '';
  const [ledger, partners] = await Promise.all([
    ctx.api.call('getLedger', { query: partnerId ? { partnerId } : {} }),
    officer ? ctx.api.all('listPartners', {}, 1000) : Promise.resolve([]),
  ]);
  const grant = (e: Event) => {
    const v = formValues(e);
    void ctx.act(async () => {
      await ctx.api.call('grantCredits', { body: { partnerId: v.partnerId ?? '', credits: Number(v.credits), ...(v.memo ? { memo: v.memo } : {}) }, idempotencyKey: grantKey.current });
      grantKey.renew();
      return t('ledger.granted');
    });
  };
  const options = partners.filter((p) => p.kind !== 'collectivity').map((p) => [p.id, p.name] as const);
  return html`${pageTitle(t('ledger.title'))}
    ${officer
      ? html`<form class="cpt-filters fr-mb-3w" @submit=${(e: Event) => ctx.go('/ledger', formValues(e))}>
          ${selectField({ name: 'partnerId', id: 'ledger-account', label: t('ledger.partner'), value: partnerId, options: [['', ctx.me.partner.name], ...options] })}
          <div><button class="fr-btn fr-btn--secondary" type="submit">${t('common.open')}</button></div>
        </form>`
      : nothing}
    <p class="fr-text--lead" id="balance">${t('ledger.balance', { credits: formatNumber(ledger.balance) })}</p>
    ${table(t('ledger.title'), [t('common.date'), t('ledger.amount'), t('ledger.cause'), t('ledger.counterparty'), t('ledger.memo')],
      ledger.items.map((m) => html`<tr><td>${formatDate(m.at)}</td><td>${m.amount > 0 ? '+' : ''}${formatNumber(m.amount)}</td><td>${tOr(`cause.${m.cause.type}`, m.cause.type)}${m.cause.licenceId ? html` <a href="#/licences/${m.cause.licenceId}">${shortId(m.cause.licenceId)}</a>` : nothing}</td><td>${shortId(m.counterparty)}</td><td>${m.memo ?? ''}</td></tr>`),
      { hiddenCaption: true })}
    ${officer
      ? html`<section class="cpt-card" aria-labelledby="grant-title"><h2 class="fr-h4" id="grant-title">${t('ledger.grant')}</h2>
          <form class="cpt-actions" @submit=${grant}>
            ${selectField({ name: 'partnerId', id: 'grant-partner', label: t('common.partner'), options })}
            ${textField({ name: 'credits', label: t('ledger.credits'), type: 'number', min: '1', required: true })}
            ${textField({ name: 'memo', label: t('ledger.memo') })}
            <button class="fr-btn" type="submit">${t('ledger.grant')}</button>
          </form></section>`
      : nothing}`;
};
