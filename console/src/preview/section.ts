import { html, type TemplateResult } from 'lit';
import { t } from '../i18n/i18n.ts';
import './preview.ts';
import type { RecordsSource } from './source.ts';

/** The « Aperçu » section of a page: its heading, what it shows, and the preview itself. */
export function previewSection(source: RecordsSource, title: string, audience: 'public' | 'licensee'): TemplateResult {
  return html`<section class="cpt-card fr-mt-3w" aria-labelledby="preview-title" data-preview>
    <h2 id="preview-title" class="fr-h4">${t('preview.title')}</h2>
    <p class="fr-text--sm">${t(audience === 'licensee' ? 'preview.licenceLead' : 'preview.lead')}</p>
    <cpt-preview .datasetTitle=${title} .source=${source}></cpt-preview>
  </section>`;
}
