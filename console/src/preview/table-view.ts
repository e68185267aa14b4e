import { html, nothing, type TemplateResult } from 'lit';
import type { ExportFormat, RecordsPage } from '../../../schemas/query.ts';
import { plural, t, tOr } from '../i18n/i18n.ts';
import { ariaSort, cellText, OPERATORS, type Field, type PreviewFilter, type PreviewState } from './query.ts';

/** What the table view draws and the actions it offers. */
export interface TableViewInput {
  readonly state: PreviewState;
  readonly page: RecordsPage | undefined;
  readonly pageNumber: number;
  readonly hasPrevious: boolean;
  readonly fields: readonly Field[];
  readonly exports: readonly { format: ExportFormat; href: string }[];
  readonly exportsNote?: string;
  readonly interactive: boolean;
  readonly sort: (column: string) => void;
  readonly previous: () => void;
  readonly next: () => void;
  readonly addFilter: (filter: PreviewFilter) => void;
  readonly removeFilter: (filter: PreviewFilter) => void;
  readonly choose: (columns: readonly string[]) => void;
}

/** `station est égal à S3`. */
export const filterLabel = (f: PreviewFilter): string =>
  f.operator === 'isnull' ? `${f.column} ${t(f.value === 'false' ? 'preview.op.notnull' : 'preview.op.isnull')}` : `${f.column} ${tOr(`preview.op.${f.operator}`, f.operator)} ${f.value}`;

/** The filter form: a column, a condition in words, a value; and the active filters, each removable. */
export function filterForm(input: Pick<TableViewInput, 'state' | 'fields' | 'addFilter' | 'removeFilter'>): TemplateResult {
  const submit = (e: Event) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    const column = String(data.get('column') ?? '');
    const chosen = String(data.get('operator') ?? 'exact');
    const [operator, value] = chosen === 'isnull' ? ['isnull', 'true'] : chosen === 'notnull' ? ['isnull', 'false'] : [chosen, String(data.get('value') ?? '').trim()];
    if (column) input.addFilter({ column, operator: operator as PreviewFilter['operator'], value });
  };
  const operators = [...OPERATORS.filter((o) => o !== 'isnull'), 'isnull', 'notnull'];
  return html`<form class="cpt-filters fr-mb-2w" role="search" aria-label=${t('preview.filters')} data-preview-filters @submit=${submit}>
      <div class="fr-select-group"><label class="fr-label" for="preview-column">${t('preview.column')}</label>
        <select class="fr-select" id="preview-column" name="column">${input.fields.map((f) => html`<option value=${f.name}>${f.name}</option>`)}</select></div>
      <div class="fr-select-group"><label class="fr-label" for="preview-operator">${t('preview.operator')}</label>
        <select class="fr-select" id="preview-operator" name="operator">${operators.map((o) => html`<option value=${o}>${tOr(`preview.op.${o}`, o)}</option>`)}</select></div>
      <div class="fr-input-group"><label class="fr-label" for="preview-value">${t('preview.value')}<span class="fr-hint-text" id="preview-value-hint">${t('preview.valueHint')}</span></label>
        <input class="fr-input" id="preview-value" name="value" aria-describedby="preview-value-hint" /></div>
      <div><button class="fr-btn fr-btn--secondary" type="submit">${t('preview.addFilter')}</button></div>
    </form>
    ${input.state.filters.length
      ? html`<ul class="fr-tags-group fr-mb-2w" aria-label=${t('preview.activeFilters')} data-active-filters>
          ${input.state.filters.map((f) => html`<li><button type="button" class="fr-tag fr-tag--dismiss" aria-label=${t('preview.removeFilter', { filter: filterLabel(f) })} @click=${() => input.removeFilter(f)}>${filterLabel(f)}</button></li>`)}
        </ul>`
      : nothing}`;
}

function columnChooser(input: TableViewInput): TemplateResult {
  const shown = new Set(input.state.select ?? input.fields.map((f) => f.name));
  const submit = (e: Event) => {
    e.preventDefault();
    const chosen = new FormData(e.currentTarget as HTMLFormElement).getAll('column').map(String);
    input.choose(chosen.length === input.fields.length ? [] : chosen);
  };
  return html`<details class="fr-mb-2w" data-column-chooser><summary>${t('preview.columns')}</summary>
    <form @submit=${submit}><fieldset class="fr-fieldset"><legend class="fr-sr-only">${t('preview.columns')}</legend>
      ${input.fields.map((f, i) => html`<div class="fr-fieldset__element fr-fieldset__element--inline"><div class="fr-checkbox-group">
        <input type="checkbox" id=${`preview-col-${i}`} name="column" value=${f.name} ?checked=${shown.has(f.name)} /><label class="fr-label" for=${`preview-col-${i}`}>${f.name}</label></div></div>`)}
    </fieldset><button class="fr-btn fr-btn--sm fr-btn--secondary" type="submit">${t('preview.applyColumns')}</button></form>
  </details>`;
}

/** A page of records with sortable headers, paging by cursor, the filter form and export links. */
export function tableView(input: TableViewInput): TemplateResult {
  const page = input.page;
  const columns = page?.fields ?? [];
  return html`${input.interactive ? html`${filterForm(input)}${columnChooser(input)}` : nothing}
    ${page
      ? html`<p role="status" data-preview-count>${plural(page.records.length, 'preview.rows.one', 'preview.rows.other')} · ${t('preview.page', { page: input.pageNumber })}</p>
        <div class="fr-table fr-table--bordered fr-mb-2w"><div class="fr-table__wrapper"><div class="fr-table__container" tabindex="0" role="region" aria-label=${t('preview.table', { page: input.pageNumber })}><div class="fr-table__content">
          <table data-preview-table>
            <caption class="fr-sr-only">${t('preview.table', { page: input.pageNumber })}</caption>
            <thead><tr>${columns.map((c) => html`<th scope="col" aria-sort=${ariaSort(input.state.orderBy, c.name) === 'none' ? nothing : ariaSort(input.state.orderBy, c.name)}>
              <button type="button" class="cpt-sort" data-sort=${c.name} title=${t('preview.sortBy', { column: c.name })} @click=${() => input.sort(c.name)}>${c.name}<span aria-hidden="true">${{ ascending: ' ▲', descending: ' ▼', none: '' }[ariaSort(input.state.orderBy, c.name)]}</span></button></th>`)}</tr></thead>
            <tbody>${page.records.map((r) => html`<tr>${columns.map((c) => html`<td>${cellText(r[c.name])}</td>`)}</tr>`)}</tbody>
          </table>
        </div></div></div></div>
        <nav class="cpt-actions fr-mb-2w" aria-label=${t('preview.page', { page: input.pageNumber })}>
          <button type="button" class="fr-btn fr-btn--sm fr-btn--tertiary" data-page="previous" ?disabled=${!input.hasPrevious} @click=${input.previous}>${t('preview.previous')}</button>
          <button type="button" class="fr-btn fr-btn--sm fr-btn--tertiary" data-page="next" ?disabled=${!page.cursor} @click=${input.next}>${t('preview.next')}</button>
        </nav>`
      : nothing}
    ${input.interactive ? exportLinks(input) : nothing}`;
}

/** Links to the whole filtered answer in each format, or why there are none. */
export function exportLinks(input: Pick<TableViewInput, 'exports' | 'exportsNote'>): TemplateResult {
  return html`<h3 class="fr-h6">${t('preview.exports')}</h3>
    ${input.exports.length
      ? html`<ul class="cpt-legend" data-exports>${input.exports.map((e) => html`<li><a class="fr-link fr-icon-download-line fr-link--icon-left" href=${e.href} data-export=${e.format}>${e.format === 'ndjson' ? 'NDJSON' : e.format === 'geojson' ? 'GeoJSON' : e.format === 'parquet' ? 'Parquet' : 'CSV'}</a></li>`)}</ul>`
      : html`<p class="fr-text--sm">${input.exportsNote}</p>`}`;
}
