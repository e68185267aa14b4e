import { html, svg, type TemplateResult } from 'lit';
import type { ResponseOf } from '../../../sdk/client.ts';
import { formatDate, formatDay, t, tOr } from '../i18n/i18n.ts';
import type { Page } from '../router.ts';
import { pageTitle, stateBadge, table } from '../ui/components.ts';

type Compliance = ResponseOf<'contractCompliance'>;
type Contract = ResponseOf<'getContract'>;

const COLOURS: Record<string, string> = { on_time: '#18753c', late: '#b34000', missing: '#ce0500' };
const ROW = 44;
const HALF_WINDOW_MS = 183 * 24 * 3600_000;
const LEFT = 220;
const WIDTH = 900;

/**
 * The timeline: one row per obligation across the contract, the last due period, the last delivery and the
 * next due date, coloured by status. The table above carries the same facts for screen readers.
 */
function timeline(contract: Contract, compliance: Compliance): TemplateResult {
  // A year around today: long contracts would otherwise squeeze every mark into one pixel.
  const asOf = Date.parse(compliance.asOf);
  const start = Math.max(Date.parse(`${contract.startsOn}T00:00:00Z`), asOf - HALF_WINDOW_MS);
  const end = Math.max(Math.min(Date.parse(`${contract.endsOn}T00:00:00Z`), asOf + HALF_WINDOW_MS), asOf + 1);
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const x = (iso: string) => LEFT + ((Date.parse(iso) - start) / Math.max(1, end - start)) * (WIDTH - LEFT - 20);
  const height = ROW * compliance.obligations.length + 40;
  const now = x(compliance.asOf);
  return html`<figure class="fr-mb-3w" aria-describedby="timeline-desc">
    <svg class="cpt-timeline" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-label=${t('contracts.timeline')}>
      ${compliance.obligations.map((o, i) => {
        const y = 30 + i * ROW;
        const colour = COLOURS[o.status] ?? '#666';
        return svg`<g data-obligation=${o.obligationId}>
          <text x="0" y=${y + 4}>${o.title.slice(0, 30)}</text>
          <line x1=${LEFT} x2=${WIDTH - 20} y1=${y} y2=${y} stroke="#ddd" stroke-width="2" />
          ${o.lastDuePeriod ? svg`<rect x=${x(o.lastDuePeriod.start)} y=${y - 6} width=${Math.max(2, x(o.lastDuePeriod.end) - x(o.lastDuePeriod.start))} height="12" fill=${colour} opacity="0.25"><title>${formatDay(o.lastDuePeriod.start)} → ${formatDay(o.lastDuePeriod.end)}</title></rect>
            <circle cx=${x(o.lastDuePeriod.due)} cy=${y} r="6" fill="white" stroke=${colour} stroke-width="3"><title>${t('licences.due')} ${formatDay(o.lastDuePeriod.due)}</title></circle>` : ''}
          ${o.lastDelivery ? svg`<rect x=${x(o.lastDelivery.publishedAt) - 6} y=${y - 6} width="12" height="12" transform="rotate(45 ${x(o.lastDelivery.publishedAt)} ${y})" fill=${colour}><title>${t('contracts.lastDelivery')} ${formatDate(o.lastDelivery.publishedAt)}</title></rect>` : ''}
          ${o.nextDue ? svg`<circle cx=${x(o.nextDue)} cy=${y} r="5" fill="white" stroke="#000091" stroke-width="2" stroke-dasharray="2 2"><title>${t('contracts.nextDue')} ${formatDay(o.nextDue)}</title></circle>` : ''}
        </g>`;
      })}
      <line x1=${now} x2=${now} y1="10" y2=${height - 10} stroke="#000091" stroke-width="1" stroke-dasharray="4 3" />
      <text x=${LEFT} y=${height - 4}>${formatDay(day(start))}</text>
      <text x=${WIDTH - 110} y=${height - 4}>${formatDay(day(end))}</text>
    </svg>
    <figcaption id="timeline-desc" class="fr-text--sm">${t('contracts.timelineDesc')}</figcaption>
  </figure>`;
}

/** One DSP contract: compliance of each delivery obligation as a table and a timeline. */
export const contractPage: Page = async ({ api, params }) => {
  const [contract, compliance] = await Promise.all([api.call('getContract', { params: { id: params.id! } }), api.call('contractCompliance', { params: { id: params.id! } })]);
  const every = new Map(contract.obligations.map((o) => [o.id, o.every]));
  return html`${pageTitle(contract.service, `${contract.startsOn} → ${contract.endsOn}`)}
    <p>${t('contracts.asOf', { date: formatDate(compliance.asOf) })}</p>
    ${table(t('contracts.compliance'), [t('contracts.obligation'), t('contracts.every'), t('common.state'), t('contracts.lastDelivery'), t('contracts.nextDue')],
      compliance.obligations.map((o) => html`<tr data-obligation=${o.obligationId}><td>${o.title}</td><td><code>${every.get(o.obligationId) ?? ''}</code></td><td>${stateBadge('compliance', o.status)}</td>
        <td>${o.lastDelivery ? html`<a href="#/datasets/${o.lastDelivery.datasetId}">v${o.lastDelivery.version}</a> — ${formatDate(o.lastDelivery.publishedAt)}` : '—'}</td><td>${formatDay(o.nextDue)}</td></tr>`))}
    <h2 class="fr-h4">${t('contracts.timeline')}</h2>
    ${timeline(contract, compliance)}
    <ul class="cpt-legend fr-text--sm">${Object.keys(COLOURS).map((s) => html`<li><span class="cpt-swatch cpt-swatch--${s}"></span>${tOr(`compliance.${s}`, s)}</li>`)}</ul>`;
};
