import { html, nothing } from 'lit';
import { t } from '../i18n/i18n.ts';
import type { Page } from '../router.ts';
import { pageTitle } from '../ui/components.ts';
import { offerTable } from './offer-views.ts';

/** Every offer of the territory, with a link to its dataset (where licences are requested). */
export const offersPage: Page = async ({ api }) => {
  const offers = await api.all('listOffers', {}, 500);
  return html`${pageTitle(t('offers.title'))}
    ${offerTable(offers, (o) => (o.state === 'open' ? html`<a class="fr-link" href="#/datasets/${o.datasetId}">${t('common.dataset')}</a>` : nothing))}`;
};
