import { html } from 'lit';
import { t } from '../i18n/i18n.ts';
import type { Page } from '../router.ts';
import { pageTitle } from '../ui/components.ts';

/** The landing page: what the caller can do and what awaits them. */
export const homePage: Page = async ({ api, me }) => {
  const officer = me.role === 'officer';
  // One page is enough for a landing count: past it the page says "100+" instead of reading every licence.
  const count = async (state: 'pending_approval' | 'active') => {
    const page = await api.call('listLicences', { query: { state, limit: 100 } });
    return page.cursor ? `${page.items.length}+` : String(page.items.length);
  };
  const [pending, active, ledger] = await Promise.all([
    officer ? count('pending_approval') : Promise.resolve('0'),
    count('active'),
    api.call('getLedger', {}).catch(() => undefined),
  ]);
  const cards = [
    ...(officer ? [html`<li><a class="fr-link" href="#/inbox" id="pending-count">${t('home.pending', { count: pending })}</a></li>`] : []),
    html`<li><a class="fr-link" href="#/licences?state=active">${t('home.licences', { count: active })}</a></li>`,
    ...(ledger ? [html`<li><a class="fr-link" href="#/ledger">${t('home.balance', { credits: ledger.balance })}</a></li>`] : []),
  ];
  return html`${pageTitle(t('home.title', { name: me.partner.name }), officer ? t('home.officer') : t('home.partner'))}
    <ul>${cards}</ul>`;
};
