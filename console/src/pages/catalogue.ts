import { html, nothing } from 'lit';
import { ThemeSchema, ClassificationSchema } from '../../../schemas/dataset.ts';
import { formatNumber, plural, t, tOr } from '../i18n/i18n.ts';
import { hrefOf, type Page } from '../router.ts';
import { formValues, pageTitle, selectField, stateBadge, table, textField } from '../ui/components.ts';

/** Catalogue search: words, theme and classification filters, as the API indexes them. */
export const cataloguePage: Page = async ({ api, me, query, go }) => {
  const q = query.get('q') ?? '';
  const theme = query.get('theme') ?? '';
  const classification = query.get('classification') ?? '';
  const cursor = query.get('cursor') ?? '';
  const page = await api.call('listDatasets', {
    query: { limit: 50, ...(q ? { q } : {}), ...(theme ? { theme: theme as never } : {}), ...(classification ? { classification: classification as never } : {}), ...(cursor ? { cursor } : {}) },
  });
  const submit = (e: Event) => go('/catalogue', formValues(e));
  return html`${pageTitle(t('catalogue.title'))}
    ${me.role !== 'officer' ? html`<p><a class="fr-btn fr-btn--secondary" href="#/datasets/new">${t('catalogue.create')}</a></p>` : nothing}
    <form class="cpt-filters fr-mb-3w" role="search" @submit=${submit}>
      ${textField({ name: 'q', label: t('catalogue.q'), value: q })}
      ${selectField({ name: 'theme', label: t('catalogue.theme'), value: theme, options: [['', t('catalogue.any')], ...ThemeSchema.options.map((o) => [o, tOr(`theme.${o}`, o)] as const)] })}
      ${selectField({ name: 'classification', label: t('catalogue.classification'), value: classification, options: [['', t('catalogue.anyFem')], ...ClassificationSchema.options.map((o) => [o, tOr(`classification.${o}`, o)] as const)] })}
      <div><button class="fr-btn" type="submit">${t('catalogue.search')}</button></div>
    </form>
    <p id="result-count">${plural(page.items.length, 'catalogue.results.one', 'catalogue.results.other')}</p>
    ${table(
      t('catalogue.title'),
      [t('create.titleField'), t('catalogue.theme'), t('catalogue.classification'), t('catalogue.publisher'), t('catalogue.latest')],
      page.items.map(
        (d) => html`<tr>
          <td><a href="#/datasets/${d.id}">${d.title}</a></td>
          <td>${tOr(`theme.${d.theme}`, d.theme)}</td>
          <td>${stateBadge('classification', d.classification)}</td>
          <td>${d.publisher.name}</td>
          <td>${d.latestVersion ?? '—'}</td>
        </tr>`,
      ),
      { hiddenCaption: true },
    )}
    ${page.cursor ? html`<p><a class="fr-link" href=${hrefOf('/catalogue', { q, theme, classification, cursor: page.cursor })}>${t('common.more')}</a></p>` : nothing}`;
};
