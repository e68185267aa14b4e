import { html, nothing, type TemplateResult } from 'lit';
import { tOr, t } from '../i18n/i18n.ts';
import { pageTitle } from '../ui/components.ts';
import { previewSection } from '../preview/section.ts';
import { openSource } from '../preview/source.ts';
import type { PublicPageContext } from './register.ts';

/** An open dataset for anyone, without an account: its description, its download and its preview. */
export async function openDatasetPage({ api, params }: PublicPageContext & { params: Readonly<Record<string, string>> }): Promise<TemplateResult> {
  const dataset = await api.call('openDataset', { params: { id: params.id! } });
  const latest = dataset.versions.at(-1);
  return html`${pageTitle(dataset.title, t('opendata.title'))}
    <p>${tOr(`theme.${dataset.theme}`, dataset.theme)} · ${dataset.publisher.name}</p>
    <p>${dataset.description}</p>
    ${latest
      ? html`<p><a class="fr-link fr-icon-download-line fr-link--icon-left" href=${`/open/datasets/${encodeURIComponent(dataset.id)}/download`}>${t('opendata.download')}</a></p>
          ${previewSection(openSource(api, dataset.id), dataset.title, 'public')}`
      : html`<p>${t('opendata.noVersion')}</p>`}
    ${nothing}`;
}
