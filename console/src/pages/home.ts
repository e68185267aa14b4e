import { html } from 'lit';
import { plural, t } from '../i18n/i18n.ts';
import type { Page } from '../router.ts';
import { pageTitle } from '../ui/components.ts';
import { notificationSettings } from './notification-settings.ts';

/** The landing page: what the caller can do and what awaits them. */
export const homePage: Page = async (ctx) => {
  const { api, me } = ctx;
  const officer = me.role === 'officer';
  // One page is enough for a landing count: past it the page says "100+" instead of reading every licence.
  const count = async (state: 'pending_approval' | 'active') => {
    const page = await api.call('listLicences', { query: { state, limit: 100 } });
    return { n: page.items.length, ...(page.cursor ? { shown: { count: `${page.items.length}+` } } : {}) };
  };
  const counted = (c: Awaited<ReturnType<typeof count>>, one: 'home.pending.one' | 'home.licences.one', other: 'home.pending.other' | 'home.licences.other') => plural(c.n, one, other, c.shown);
  const [pending, active, ledger, notifications] = await Promise.all([
    officer ? count('pending_approval') : Promise.resolve({ n: 0 }),
    count('active'),
    api.call('getLedger', {}).catch(() => undefined),
    notificationSettings(ctx),
  ]);
  const cards = [
    ...(officer ? [html`<li><a class="fr-link" href="#/inbox" id="pending-count">${counted(pending, 'home.pending.one', 'home.pending.other')}</a></li>`] : []),
    html`<li><a class="fr-link" href="#/licences?state=active">${counted(active, 'home.licences.one', 'home.licences.other')}</a></li>`,
    ...(ledger ? [html`<li><a class="fr-link" href="#/ledger">${t('home.balance', { credits: ledger.balance })}</a></li>`] : []),
  ];
  return html`${pageTitle(t('home.title', { name: me.partner.name }), officer ? t('home.officer') : t('home.partner'))}
    <ul>${cards}</ul>
    ${notifications ?? ''}`;
};
