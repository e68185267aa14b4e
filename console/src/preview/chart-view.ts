import { html, nothing, svg, type TemplateResult } from 'lit';
import type { RecordsPage } from '../../../schemas/query.ts';
import { formatNumber, t, tOr } from '../i18n/i18n.ts';
import { AGGREGATES, aggregateOf, cellText, type Field, type PreviewState } from './query.ts';

/** Bars drawn at most: more groups are listed in the table only. */
const BARS = 40;

/** The group-by form: a column, a measure in words and, for all but the count, a number column. */
export function chartForm(state: PreviewState, fields: readonly Field[], draw: (s: Pick<PreviewState, 'groupBy' | 'aggregate' | 'measure'>) => void): TemplateResult {
  const numeric = fields.filter((f) => f.type === 'integer' || f.type === 'number');
  const groupable = fields.filter((f) => f.type !== 'geopoint');
  const submit = (e: Event) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    const aggregate = String(data.get('aggregate')) as PreviewState['aggregate'];
    const measure = String(data.get('measure') ?? '');
    draw({ groupBy: String(data.get('groupBy')), aggregate: aggregate !== 'count' && measure ? aggregate : 'count', ...(aggregate !== 'count' && measure ? { measure } : {}) });
  };
  return html`<form class="cpt-filters fr-mb-2w" aria-label=${t('preview.chartForm')} data-chart-form @submit=${submit}>
    <div class="fr-select-group"><label class="fr-label" for="chart-group">${t('preview.groupBy')}</label>
      <select class="fr-select" id="chart-group" name="groupBy">${groupable.map((f) => html`<option value=${f.name} ?selected=${f.name === state.groupBy}>${f.name}</option>`)}</select></div>
    <div class="fr-select-group"><label class="fr-label" for="chart-aggregate">${t('preview.aggregate')}</label>
      <select class="fr-select" id="chart-aggregate" name="aggregate">${AGGREGATES.filter((a) => a === 'count' || numeric.length).map((a) => html`<option value=${a} ?selected=${a === state.aggregate}>${tOr(`preview.agg.${a}`, a)}</option>`)}</select></div>
    ${numeric.length
      ? html`<div class="fr-select-group"><label class="fr-label" for="chart-measure">${t('preview.measure')}</label>
          <select class="fr-select" id="chart-measure" name="measure">${numeric.map((f) => html`<option value=${f.name} ?selected=${f.name === state.measure}>${f.name}</option>`)}</select></div>`
      : nothing}
    <div><button class="fr-btn fr-btn--secondary" type="submit">${t('preview.draw')}</button></div>
  </form>`;
}

/** What the measure is called: « somme de amount », « nombre d’enregistrements ». */
const measureLabel = (s: PreviewState): string => (s.aggregate === 'count' || !s.measure ? t('preview.agg.count') : `${tOr(`preview.agg.${s.aggregate}`, s.aggregate)} (${s.measure})`);

/**
 * A group-by drawn as horizontal SVG bars, and the same numbers as a table (the chart's text alternative).
 * The bars are an image named by the table's caption: screen readers read the table.
 */
export function chartView(state: PreviewState, page: RecordsPage | undefined): TemplateResult {
  if (!state.groupBy) return html`<p>${t('preview.chartEmpty')}</p>`;
  if (!page) return html``;
  const value = aggregateOf(state);
  const rows = page.records.map((r) => ({ label: cellText(r[state.groupBy!]), value: Number(r[value] ?? 0) }));
  const caption = t('preview.chartTable', { aggregate: measureLabel(state), column: state.groupBy });
  const bars = rows.slice(0, BARS);
  const max = Math.max(0, ...bars.map((b) => b.value));
  const min = Math.min(0, ...bars.map((b) => b.value));
  const span = max - min || 1;
  const [labelWidth, chartWidth, barHeight, gap] = [160, 520, 22, 6];
  const height = bars.length * (barHeight + gap) + gap;
  const x = (v: number) => labelWidth + ((v - min) / span) * chartWidth;
  return html`<figure class="fr-mb-2w" data-preview-chart>
      <svg class="cpt-bars" role="img" aria-labelledby="chart-caption" viewBox=${`0 0 ${labelWidth + chartWidth + 90} ${height}`} width="100%">
        ${bars.map((b, i) => {
          const y = gap + i * (barHeight + gap);
          const left = Math.min(x(0), x(b.value));
          return svg`<g data-bar=${b.label}>
            <text class="cpt-bars__label" x=${labelWidth - 8} y=${y + barHeight * 0.7} text-anchor="end">${b.label.length > 22 ? `${b.label.slice(0, 21)}…` : b.label}</text>
            <rect class="cpt-bars__bar" x=${left} y=${y} width=${Math.max(1, Math.abs(x(b.value) - x(0)))} height=${barHeight}></rect>
            <text class="cpt-bars__value" x=${Math.max(x(0), x(b.value)) + 6} y=${y + barHeight * 0.7}>${formatNumber(b.value)}</text>
          </g>`;
        })}
      </svg>
      <figcaption class="fr-sr-only">${caption}</figcaption>
    </figure>
    ${page.cursor || rows.length > BARS ? html`<p class="fr-text--sm">${t('preview.groupsCapped', { count: Math.min(rows.length, BARS) })}</p>` : nothing}
    <div class="fr-table fr-table--bordered fr-mb-2w"><div class="fr-table__wrapper"><div class="fr-table__container" tabindex="0" role="region" aria-label=${caption}><div class="fr-table__content">
      <table data-chart-table><caption id="chart-caption">${caption}</caption>
        <thead><tr><th scope="col">${state.groupBy}</th><th scope="col">${measureLabel(state)}</th></tr></thead>
        <tbody>${rows.map((r) => html`<tr><th scope="row">${r.label}</th><td data-value=${r.value}>${formatNumber(r.value)}</td></tr>`)}</tbody>
      </table>
    </div></div></div></div>`;
}
