import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { ExportFormat, RecordsPage } from '../../../schemas/query.ts';
import { t } from '../i18n/i18n.ts';
import { alertBox, errorText } from '../ui/components.ts';
import { chartForm, chartView } from './chart-view.ts';
import { embedPanel } from './embed-panel.ts';
import { chartQuery, filterQuery, nextOrder, positionOf, tableQuery, VIEWS, type Field, type PreviewFilter, type PreviewState, type PreviewView } from './query.ts';
import type { RecordsSource } from './source.ts';
import { filterForm as filterFormOf, tableView } from './table-view.ts';
import './map-view.ts';

/** Rows of a table page. */
const PAGE = 50;
const FORMATS: readonly ExportFormat[] = ['csv', 'ndjson', 'geojson', 'parquet'];

/**
 * The « Aperçu » of a tabular dataset: a table paged by cursor, a map of point data, a group-by chart.
 * `embedded`: one view only, without tabs, forms or exports (an iframe on another site).
 */
export class RecordsPreview extends LitElement {
  static override properties = {
    source: { attribute: false },
    initial: { attribute: false },
    embedded: { type: Boolean },
    datasetTitle: { attribute: false },
    state: { state: true },
    fields: { state: true },
    page: { state: true },
    error: { state: true },
    busy: { state: true },
  };
  declare source: RecordsSource;
  declare initial: PreviewState | undefined;
  declare embedded: boolean;
  declare datasetTitle: string;
  declare state: PreviewState;
  /** Every column of the caller's view (filters, groups), from the first unselected answer. */
  declare fields: readonly Field[] | undefined;
  declare page: RecordsPage | undefined;
  declare error: unknown;
  declare busy: boolean;
  /** The cursor of each page shown so far: page n is fetched with `cursors[n - 1]` (none for the first). */
  private cursors: (string | undefined)[] = [undefined];
  private pageIndex = 0;
  /** The index of the page on screen (`pageIndex` moves first, while the next one loads). */
  private shownIndex = 0;
  private loadedKey = '';
  private run = 0;

  constructor() {
    super();
    this.embedded = false;
    this.busy = false;
    this.datasetTitle = '';
    this.state = { view: 'table', filters: [], aggregate: 'count' };
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('source') && this.source.key !== this.loadedKey) {
      this.loadedKey = this.source.key;
      this.state = this.initial ?? { view: 'table', filters: [], aggregate: 'count' };
      this.fields = undefined;
      void this.load(true);
    }
  }

  /** Loads what the current view needs; `restart` goes back to the first page. */
  private async load(restart: boolean): Promise<void> {
    const run = ++this.run;
    if (restart) {
      this.cursors = [undefined];
      this.pageIndex = 0;
    }
    this.busy = true;
    this.error = undefined;
    try {
      const s = this.state;
      // The map loads its own points; it needs the columns only.
      if (s.view === 'map') {
        if (!this.fields) this.fields = (await this.source.records({ limit: 1 })).fields;
        this.page = undefined;
      } else if (s.view === 'chart') {
        if (!this.fields) this.fields = (await this.source.records({ limit: 1 })).fields;
        this.page = s.groupBy ? await this.source.records({ ...chartQuery(s), limit: 1000 }) : undefined;
      } else {
        const cursor = this.cursors[this.pageIndex];
        const page = await this.source.records({ ...tableQuery(s), limit: PAGE, ...(cursor ? { cursor } : {}) });
        if (run !== this.run) return;
        if (!this.fields && !s.select?.length) this.fields = page.fields;
        if (!this.fields) this.fields = (await this.source.records({ limit: 1 })).fields;
        this.cursors[this.pageIndex + 1] = page.cursor;
        this.shownIndex = this.pageIndex;
        this.page = page;
      }
    } catch (error) {
      if (run === this.run) {
        this.error = error;
        this.page = undefined;
      }
    } finally {
      if (run === this.run) this.busy = false;
    }
  }

  /** Applies a change of the query and shows its first page. */
  private requery(next: Partial<PreviewState>): void {
    this.state = { ...this.state, ...next };
    void this.load(true);
  }

  private readonly actions = {
    sort: (column: string) => {
      const orderBy = nextOrder(this.state.orderBy, column);
      const { orderBy: _drop, ...rest } = this.state;
      this.state = orderBy ? { ...rest, orderBy } : rest;
      void this.load(true);
    },
    previous: () => {
      this.pageIndex = Math.max(0, this.shownIndex - 1);
      void this.load(false);
    },
    next: () => {
      if (!this.cursors[this.shownIndex + 1]) return;
      this.pageIndex = this.shownIndex + 1;
      void this.load(false);
    },
    addFilter: (f: PreviewFilter) => this.requery({ filters: [...this.state.filters.filter((o) => o.column !== f.column || o.operator !== f.operator), f] }),
    removeFilter: (f: PreviewFilter) => this.requery({ filters: this.state.filters.filter((o) => o !== f) }),
    choose: (columns: readonly string[]) => {
      const { select: _drop, ...rest } = this.state;
      this.state = columns.length ? { ...rest, select: columns } : rest;
      void this.load(true);
    },
  };

  private show(view: PreviewView): void {
    if (view === this.state.view) return;
    this.state = { ...this.state, view };
    void this.load(true);
  }

  override render(): TemplateResult {
    const s = this.state;
    const position = this.fields ? positionOf(this.fields) : undefined;
    const views = VIEWS.filter((v) => v !== 'map' || !this.fields || position);
    return html`${this.embedded ? nothing : html`<div class="cpt-actions fr-mb-2w" role="group" aria-label=${t('preview.views')}>
        ${views.map((v) => html`<button type="button" class="fr-btn fr-btn--sm ${v === s.view ? '' : 'fr-btn--secondary'}" aria-pressed=${v === s.view ? 'true' : 'false'} data-view=${v} @click=${() => this.show(v)}>${t(`preview.view.${v}`)}</button>`)}
      </div>`}
      ${this.busy ? html`<p role="status" class="fr-text--sm" data-preview-loading>${t('preview.loading')}</p>` : nothing}
      ${this.error ? alertBox('error', errorText(this.error), t('preview.failed')) : nothing}
      ${this.viewBody(position)}
      ${!this.embedded && this.source.openDatasetId ? embedPanel(this.source.openDatasetId, s, this.datasetTitle) : nothing}`;
  }

  private viewBody(position: ReturnType<typeof positionOf>): TemplateResult | typeof nothing {
    const s = this.state;
    const fields = this.fields ?? [];
    if (s.view === 'map') {
      if (!this.fields) return nothing;
      if (!position) return html`<p>${t('preview.noPoints')}</p>`;
      return html`${this.embedded ? nothing : tableFilters(this, fields)}<cpt-records-map .source=${this.source} .filters=${filterQuery(s)} .position=${position}></cpt-records-map>`;
    }
    if (s.view === 'chart') {
      return html`${this.embedded ? nothing : html`${tableFilters(this, fields)}${chartForm(s, fields, (next) => this.requery(next))}`}${this.error ? nothing : chartView(s, this.page)}`;
    }
    const query = tableQuery(s);
    // GeoJSON needs the point columns in the answer, which the column chooser may have left out.
    const points = this.page ? positionOf(this.page.fields) : position;
    const exports = FORMATS.filter((f) => f !== 'geojson' || points).flatMap((format) => {
      const href = this.source.exportHref(format, query);
      return href ? [{ format, href }] : [];
    });
    return tableView({ state: s, page: this.page, pageNumber: this.shownIndex + 1, hasPrevious: this.shownIndex > 0, fields, exports, exportsNote: t('preview.exportsKey'), interactive: !this.embedded, ...this.actions });
  }

  /** Used by the filter form of the map and chart views. */
  readonly filterActions = { addFilter: (f: PreviewFilter) => this.actions.addFilter(f), removeFilter: (f: PreviewFilter) => this.actions.removeFilter(f) };
}

function tableFilters(preview: RecordsPreview, fields: readonly Field[]): TemplateResult {
  return filterFormOf({ state: preview.state, fields, ...preview.filterActions });
}

if (!customElements.get('cpt-preview')) customElements.define('cpt-preview', RecordsPreview);
