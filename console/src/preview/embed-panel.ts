import { html, type TemplateResult } from 'lit';
import { t } from '../i18n/i18n.ts';
import { stateToQuery, type PreviewState } from './query.ts';

/** The address of a view of an open dataset that other sites may frame: `/embed.html#/datasets/{id}/{view}?…`. */
export function embedUrl(origin: string, datasetId: string, state: PreviewState): string {
  const { view, ...query } = stateToQuery(state);
  const search = new URLSearchParams(query).toString();
  return `${origin}/embed.html#/datasets/${encodeURIComponent(datasetId)}/${view}${search ? `?${search}` : ''}`;
}

/** The iframe code of a view, with a title naming it (RGAA: every frame has a title). */
export function embedSnippet(url: string, title: string): string {
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<iframe src="${escape(url)}" title="${escape(title)}" width="100%" height="520" loading="lazy"></iframe>`;
}

async function copy(event: Event): Promise<void> {
  const area = document.getElementById('embed-code') as HTMLTextAreaElement | null;
  if (!area) return;
  area.select();
  const status = (event.currentTarget as HTMLElement).nextElementSibling;
  try {
    await navigator.clipboard.writeText(area.value);
    if (status) status.textContent = t('preview.copied');
  } catch {
    // Without clipboard permission the code stays selected, for Ctrl+C.
  }
}

/** « Intégrer » : the iframe code of the current view and filters, to copy, and the embeddable page itself. */
export function embedPanel(datasetId: string, state: PreviewState, title: string): TemplateResult {
  const url = embedUrl(location.origin, datasetId, state);
  const code = embedSnippet(url, t('preview.embedTitle', { view: t(`preview.view.${state.view}`), title }));
  return html`<details class="fr-mt-3w" data-embed><summary>${t('preview.embed')}</summary>
    <p class="fr-text--sm">${t('preview.embedHint')}</p>
    <div class="fr-input-group"><label class="fr-label" for="embed-code">${t('preview.embedCode')}</label>
      <textarea class="fr-input cpt-code" id="embed-code" rows="3" readonly .value=${code}></textarea></div>
    <div class="cpt-actions"><button type="button" class="fr-btn fr-btn--sm fr-btn--secondary" @click=${(e: Event) => void copy(e)}>${t('preview.copy')}</button><span role="status"></span>
      <a class="fr-link" href=${url} target="_blank" rel="noopener" data-embed-link>${t('preview.openEmbed')}</a></div>
  </details>`;
}
