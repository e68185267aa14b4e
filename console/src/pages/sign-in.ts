import { html, type TemplateResult } from 'lit';
import { t } from '../i18n/i18n.ts';
import { formValues, pageTitle, textField } from '../ui/components.ts';

/** The sign-in form: an API key, checked against `GET /v1/me`. */
export function signInPage(onKey: (key: string) => Promise<void>): TemplateResult {
  return html`<div class="fr-grid-row fr-grid-row--center"><div class="fr-col-12 fr-col-md-8 fr-col-lg-6">
    ${pageTitle(t('signin.title'))}
    <p>${t('signin.intro')}</p>
    <form id="sign-in" autocomplete="off" @submit=${(e: Event) => void onKey(formValues(e).key ?? '')}>
      ${textField({ name: 'key', label: t('signin.key'), hint: t('signin.keyHint'), type: 'password', required: true, autocomplete: 'off' })}
      <button class="fr-btn" type="submit">${t('signin.submit')}</button>
    </form>
    <p class="fr-mt-3w"><a class="fr-link" href="#/registre">${t('register.signinLink')}</a></p>
  </div></div>`;
}
