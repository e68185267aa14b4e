import { html, nothing, type TemplateResult } from 'lit';
import type { MessageKey } from './i18n/fr.ts';
import { lang, t } from './i18n/i18n.ts';
import type { Me } from './session.ts';

const OFFICER_NAV: readonly [string, MessageKey][] = [
  ['/', 'nav.home'], ['/inbox', 'nav.inbox'], ['/partners', 'nav.partners'], ['/policy', 'nav.policy'], ['/contracts', 'nav.contracts'],
  ['/audit', 'nav.audit'], ['/catalogue', 'nav.catalogue'], ['/licences', 'nav.licences'], ['/ledger', 'nav.ledger'], ['/barters', 'nav.barters'],
];
const PARTNER_NAV: readonly [string, MessageKey][] = [
  ['/', 'nav.home'], ['/catalogue', 'nav.catalogue'], ['/offers', 'nav.offers'], ['/licences', 'nav.licences'], ['/ledger', 'nav.ledger'],
  ['/barters', 'nav.barters'], ['/subscriptions', 'nav.subscriptions'], ['/audit', 'nav.audit'],
];

function navOf(me: Me | undefined): readonly [string, MessageKey][] {
  if (!me) return [];
  if (me.role === 'officer') return OFFICER_NAV;
  const nav: readonly [string, MessageKey][] = me.partner.kind === 'dsp' ? [...PARTNER_NAV.slice(0, 2), ['/contracts', 'nav.contracts'], ...PARTNER_NAV.slice(2)] : PARTNER_NAV;
  // A partner's admin manages its keys and people on its own partner page.
  return me.role === 'admin' ? [...nav, [`/partners/${me.partner.id}`, 'nav.organisation']] : nav;
}

export interface ShellInput {
  readonly me?: Me;
  readonly path: string;
  readonly notices: readonly TemplateResult[];
  readonly content: TemplateResult;
  readonly onLang: () => void;
  readonly onSignOut: () => void;
}

/** The DSFR page frame: skip link, header with the caller and the language switch, menu, content, footer. */
export function shell(s: ShellInput): TemplateResult {
  const current = (p: string) => (p === '/' ? s.path === '/' : s.path === p || s.path.startsWith(`${p}/`));
  return html`
    <div class="fr-skiplinks"><nav class="fr-container" role="navigation" aria-label="${t('app.skip')}"><ul class="fr-skiplinks__list"><li><a class="fr-link" href="#/" @click=${skipToContent}>${t('app.skip')}</a></li></ul></nav></div>
    <header role="banner" class="fr-header">
      <div class="fr-header__body"><div class="fr-container"><div class="fr-header__body-row">
        <div class="fr-header__brand"><div class="fr-header__brand-top"><div class="fr-header__service">
          <a href="#/" title="${t('nav.home')} — ${t('app.name')}"><p class="fr-header__service-title">${t('app.name')}</p></a>
          <p class="fr-header__service-tagline">${t('app.tagline')}</p>
        </div></div></div>
        <div class="fr-header__tools"><div class="fr-header__tools-links"><ul class="fr-btns-group">
          ${s.me ? html`<li><p class="fr-btn" id="signed-in-as">${signedInAs(s.me)}</p></li>` : nothing}
          <li><button class="fr-btn" type="button" lang=${lang() === 'fr' ? 'en' : 'fr'} aria-label=${t('app.languageLabel')} @click=${s.onLang}>${t('app.language')}</button></li>
          ${s.me ? html`<li><button class="fr-btn" type="button" @click=${s.onSignOut}>${t('app.signOut')}</button></li>` : nothing}
        </ul></div></div>
      </div></div></div>
      ${s.me
        ? html`<div class="fr-header__menu"><div class="fr-container"><nav class="fr-nav" role="navigation" aria-label=${t('nav.label')}><ul class="fr-nav__list">
            ${navOf(s.me).map(([p, key]) => html`<li class="fr-nav__item"><a class="fr-nav__link" href="#${p}" aria-current=${current(p) ? 'page' : nothing}>${t(key)}</a></li>`)}
          </ul></nav></div></div>`
        : nothing}
    </header>
    <main role="main" id="content" class="fr-container fr-py-4w">
      <div aria-live="polite" id="notices">${s.notices}</div>
      ${s.content}
    </main>
    <footer class="fr-footer" role="contentinfo"><div class="fr-container"><div class="fr-footer__body"><div class="fr-footer__content"><p class="fr-footer__content-desc">${t('app.footer')}</p></div></div>
      <div class="fr-footer__bottom"><ul class="fr-footer__bottom-list"><li class="fr-footer__bottom-item"><a class="fr-footer__bottom-link" href="#/accessibilite">${t('a11y.footer')}</a></li></ul></div>
    </div></footer>
  `;
}

/** Who the header names: a signed-in person and their partner, or a key's partner. */
function signedInAs(me: Me): string {
  const role = t(`role.${me.role}` as MessageKey);
  if (me.person) return t('app.signedInAsPerson', { person: me.person.name ?? me.person.email, partner: me.partner.name, role });
  return t('app.signedInAs', { name: me.partner.name, role });
}

function skipToContent(event: Event): void {
  event.preventDefault();
  document.getElementById('page-title')?.focus();
}
