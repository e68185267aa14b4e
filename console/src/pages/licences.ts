import { html } from 'lit';
import { LicenceStateSchema } from '../../../schemas/licence.ts';
import { t, tOr } from '../i18n/i18n.ts';
import type { Page } from '../router.ts';
import { formValues, pageTitle, selectField } from '../ui/components.ts';
import { datasetTitles, licenceTable } from './licence-views.ts';

/** The caller's licences (all of them for officers), filtered by state. */
export const licencesPage: Page = async ({ api, query, go }) => {
  const state = query.get('state') ?? '';
  const licences = await api.all('listLicences', { query: state ? { state: state as never } : {} }, 500);
  const titles = await datasetTitles(api, licences);
  return html`${pageTitle(t('licences.title'))}
    <form class="cpt-filters fr-mb-3w" @submit=${(e: Event) => go('/licences', formValues(e))}>
      ${selectField({ name: 'state', label: t('licences.filter'), value: state, options: [['', t('catalogue.any')], ...LicenceStateSchema.options.map((s) => [s, tOr(`licence.${s}`, s)] as const)] })}
      <div><button class="fr-btn" type="submit">${t('catalogue.search')}</button></div>
    </form>
    ${licenceTable(licences, titles)}`;
};
