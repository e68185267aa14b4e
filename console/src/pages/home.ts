import { html } from 'lit';
import { t } from '../i18n/i18n.ts';
import type { Page } from '../router.ts';
import { pageTitle } from '../ui/components.ts';

/** The landing page: what the caller can do and what awaits them. */
export const homePage: Page = async ({ api, me }) => {
  const officer = me.role === 'officer';
  const [pending, active, ledger] = await Promise.all([
    officer ? api.all('listLicences', { query: { state: 'pending_approval' } }, 500) : Promise.resolve([]),
    api.all('listLicences', { query: { state: 'active' } }, 5000),
    api.call('getLedger', {}).catch(() => undefined),
  ]);
  const cards = [
    ...(officer ? [html`<li><a class="fr-link" href="#/inbox" id="pending-count">${t('home.pending', { count: pending.length })}</a></li>`] : []),
    html`<li><a class="fr-link" href="#/licences?state=active">${t('home.licences', { count: active.length })}</a></li>`,
    ...(ledger ? [html`<li><a class="fr-link" href="#/ledger">${t('home.balance', { credits: ledger.balance })}</a></li>`] : []),
  ];
  return html`${pageTitle(t('home.title', { name: me.partner.name }), officer ? t('home.officer') : t('home.partner'))}
    <ul>${cards}</ul>`;
};
