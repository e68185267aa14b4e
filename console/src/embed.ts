import '@gouvfr/dsfr/dist/dsfr.min.css';
import './console.css';
import { html, render, type TemplateResult } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { t } from './i18n/i18n.ts';
import { clientFor } from './session.ts';
import { alertBox, errorText } from './ui/components.ts';
import './preview/preview.ts';
import { stateFromQuery, VIEWS, type PreviewView } from './preview/query.ts';
import { openSource } from './preview/source.ts';

const root = document.getElementById('embed')!;
root.textContent = '';

/** One view of an open dataset, framed by another site: the view and a link back to the data, nothing else of the console. A new address is a new view. */
async function show(): Promise<void> {
  const [path, search] = location.hash.replace(/^#/, '').split('?', 2) as [string, string | undefined];
  const m = /^\/datasets\/([^/]+)\/([a-z]+)$/.exec(path);
  const view = m?.[2] as PreviewView | undefined;
  if (!m || !view || !VIEWS.includes(view)) return paint(alertBox('error', t('preview.notFound')));
  const id = decodeURIComponent(m[1]!);
  const api = clientFor();
  let content: TemplateResult;
  try {
    const dataset = await api.call('openDataset', { params: { id } });
    document.title = t('preview.embedTitle', { view: t(`preview.view.${view}`), title: dataset.title });
    const state = { ...stateFromQuery(new URLSearchParams(search ?? '')), view };
    content = html`<h1 class="fr-h5 fr-mb-1w">${dataset.title}</h1>
      ${keyed(location.hash, html`<cpt-preview embedded .datasetTitle=${dataset.title} .initial=${state} .source=${openSource(api, id)}></cpt-preview>`)}
      <p class="fr-mt-1w"><a class="fr-link" href=${`/#/donnees/${encodeURIComponent(id)}`} target="_blank" rel="noopener" data-back-link>${t('preview.backToData', { title: dataset.title })}</a></p>`;
  } catch (error) {
    content = alertBox('error', errorText(error));
  }
  paint(content);
}

function paint(content: TemplateResult): void {
  render(html`<main role="main" class="fr-container--fluid fr-p-2w">${content}</main>`, root);
}

window.addEventListener('hashchange', () => void show());
void show();
