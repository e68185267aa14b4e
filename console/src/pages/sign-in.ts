import { html, type TemplateResult } from 'lit';
import { t } from '../i18n/i18n.ts';
import { formValues, pageTitle, textField } from '../ui/components.ts';

/** ProConnect's own page, the one its button guidelines link to. */
const PROCONNECT_SITE = 'https://www.proconnect.gouv.fr/';

/**
 * The sign-in page: ProConnect first (the people's way in, as ProConnect's button guidelines draw it),
 * then an API key for scripts and experts, checked against `GET /v1/me`.
 */
export function signInPage(loginHref: string, onKey: (key: string) => Promise<void>): TemplateResult {
  return html`<div class="fr-grid-row fr-grid-row--center"><div class="fr-col-12 fr-col-md-8 fr-col-lg-6">
    ${pageTitle(t('signin.title'))}
    <p>${t('signin.proconnectIntro')}</p>
    <div class="fr-connect-group">
      <a class="fr-connect cpt-proconnect" id="proconnect" href=${loginHref}>
        <span class="fr-connect__login">${t('signin.proconnectLogin')}</span>
        <span class="fr-connect__brand">ProConnect</span>
      </a>
      <p><a href=${PROCONNECT_SITE} target="_blank" rel="noopener" title=${`${t('signin.proconnectWhat')} - ${t('signin.newWindow')}`}>${t('signin.proconnectWhat')}</a></p>
    </div>
    <hr class="fr-mt-4w" />
    <h2 class="fr-h5">${t('signin.keyTitle')}</h2>
    <p>${t('signin.intro')}</p>
    <form id="sign-in" autocomplete="off" @submit=${(e: Event) => void onKey(formValues(e).key ?? '')}>
      ${textField({ name: 'key', label: t('signin.key'), hint: t('signin.keyHint'), type: 'password', required: true, autocomplete: 'off' })}
      <button class="fr-btn fr-btn--secondary" type="submit">${t('signin.submit')}</button>
    </form>
    <p class="fr-mt-3w"><a class="fr-link" href="#/registre">${t('register.signinLink')}</a></p>
  </div></div>`;
}
