import 'leaflet/dist/leaflet.css';
import * as L from 'leaflet';
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import type { RecordsPage } from '../../../schemas/query.ts';
import { plural, t } from '../i18n/i18n.ts';
import { alertBox, errorText } from '../ui/components.ts';
import { cellText, pointOf, type Position } from './query.ts';
import type { RecordsSource } from './source.ts';
import { settings } from './settings.ts';

/** At most this many points a view: one page of the records route. */
const POINTS = 1000;

/** The records of the area shown as markers, reloaded with `bbox` after each move; a popup shows a record. */
export class RecordsMap extends LitElement {
  static override properties = { source: { attribute: false }, filters: { attribute: false }, position: { attribute: false }, status: { state: true } };
  declare source: RecordsSource;
  declare filters: Record<string, string>;
  declare position: Position;
  declare status: { count: number; capped: boolean } | { error: unknown } | undefined;
  private map: L.Map | undefined;
  private markers: L.LayerGroup | undefined;
  private loadedKey = '';
  private run = 0;

  /** Light DOM: DSFR's and Leaflet's styles apply. */
  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override render() {
    const s = this.status;
    return html`<p class="fr-text--sm">${t('preview.mapHint')}</p>
      <div class="cpt-map" role="region" aria-label=${t('preview.map')} data-preview-map></div>
      ${s && 'error' in s ? alertBox('error', errorText(s.error), t('preview.failed')) : nothing}
      ${s && 'count' in s ? html`<p role="status" data-map-count>${plural(s.count, 'preview.points.one', 'preview.points.other')}${s.capped ? html` — ${t('preview.pointsCapped', { count: POINTS })}` : nothing}</p>` : nothing}`;
  }

  protected override async firstUpdated(): Promise<void> {
    const { tileUrl, tileAttribution } = await settings();
    const container = this.querySelector<HTMLElement>('.cpt-map')!;
    this.map = L.map(container, { zoomSnap: 0.5 }).setView([46.6, 2.4], 5);
    L.tileLayer(tileUrl, { maxZoom: 19, attribution: tileAttribution }).addTo(this.map);
    this.markers = L.layerGroup().addTo(this.map);
    this.map.on('moveend', () => void this.load(true));
    await this.load(false);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (this.map && (changed.has('filters') || changed.has('source')) && this.keyOf() !== this.loadedKey) void this.load(false);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.map?.remove();
    this.map = undefined;
  }

  private keyOf(): string {
    return `${this.source.key}?${new URLSearchParams(this.filters).toString()}`;
  }

  /** Loads the points: of the area shown after a move, else of the whole answer, which the map then fits. */
  private async load(inView: boolean): Promise<void> {
    const map = this.map;
    if (!map) return;
    const run = ++this.run;
    this.loadedKey = this.keyOf();
    const b = map.getBounds();
    const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((n, i) => Math.max(i % 2 ? -90 : -180, Math.min(i % 2 ? 90 : 180, n)).toFixed(6)).join(',');
    let page: RecordsPage;
    try {
      page = await this.source.records({ ...this.filters, limit: POINTS, ...(inView ? { bbox } : {}) });
    } catch (error) {
      if (run === this.run) this.status = { error };
      return;
    }
    if (run !== this.run || !this.markers) return;
    this.markers.clearLayers();
    const points: L.LatLngExpression[] = [];
    for (const record of page.records) {
      const point = pointOf(record, this.position);
      if (!point) continue;
      points.push(point);
      const label = page.fields.slice(0, 2).map((f) => cellText(record[f.name])).join(' · ');
      L.marker(point, { icon: L.divIcon({ className: 'cpt-marker', iconSize: [16, 16] }), title: label, alt: label, keyboard: true })
        .bindPopup(() => popup(page.fields.map((f) => f.name), record))
        .addTo(this.markers);
    }
    this.status = { count: points.length, capped: !!page.cursor };
    // The first load frames the answer; framing moves the map, whose move then reloads the area (once).
    if (!inView && points.length) map.fitBounds(L.latLngBounds(points), { padding: [24, 24], maxZoom: 15 });
  }
}

/** A record as a definition list, built from text nodes only (values are never parsed as HTML). */
function popup(columns: readonly string[], record: Readonly<Record<string, unknown>>): HTMLElement {
  const list = document.createElement('dl');
  list.className = 'cpt-popup';
  for (const name of columns) {
    const term = document.createElement('dt');
    term.textContent = name;
    const value = document.createElement('dd');
    value.textContent = cellText(record[name]);
    list.append(term, value);
  }
  return list;
}

if (!customElements.get('cpt-records-map')) customElements.define('cpt-records-map', RecordsMap);
