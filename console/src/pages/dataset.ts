import { html, nothing, type TemplateResult } from 'lit';
import { ApiError, type ResponseOf } from '../../../sdk/client.ts';
import { formatBytes, formatDate, formatNumber, plural, t, tOr } from '../i18n/i18n.ts';
import { hrefOf, type Page, type PageContext } from '../router.ts';
import { alertBox, errorText, formValues, pageTitle, stateBadge, table, textField } from '../ui/components.ts';
import { uploadVersion } from '../upload.ts';
import { offerCreateForm, offerTable } from './offer-views.ts';
import { previewSection } from '../preview/section.ts';
import { openSource } from '../preview/source.ts';

type Version = ResponseOf<'getVersion'>;

/** The last upload of this tab, so its bar and outcome stay on screen after the page refreshes. */
let lastUpload: { datasetId: string; percent: number; text: string | TemplateResult; tone?: 'success' | 'error' | 'info' } | undefined;

function paintProgress(percent: number, text: string): void {
  const bar = document.getElementById('upload-progress') as HTMLProgressElement | null;
  if (bar) bar.value = percent;
  const label = document.getElementById('upload-status');
  if (label) label.textContent = text;
}

async function startUpload(ctx: PageContext, datasetId: string, event: Event): Promise<void> {
  event.preventDefault();
  const input = (event.currentTarget as HTMLFormElement).querySelector<HTMLInputElement>('input[type=file]');
  const file = input?.files?.[0];
  if (!file) return;
  lastUpload = { datasetId, percent: 0, text: t('upload.sending', { percent: 0, sent: formatBytes(0), total: formatBytes(file.size) }) };
  await ctx.refresh();
  try {
    const version = await uploadVersion(ctx.api, datasetId, file, (sent, total, parts) => {
      const percent = total === 0 ? 100 : Math.floor((sent / total) * 100);
      const text = `${t('upload.sending', { percent, sent: formatBytes(sent), total: formatBytes(total) })}${parts > 1 ? ` — ${t('upload.parts', { count: parts })}` : ''}`;
      lastUpload = { datasetId, percent, text: percent === 100 ? t('upload.validating') : text };
      paintProgress(percent, percent === 100 ? t('upload.validating') : text);
    });
    lastUpload =
      version.status === 'published'
        ? { datasetId, percent: 100, tone: 'success', text: t('upload.published', { version: version.version, rows: plural(version.rows ?? 0, 'n.rows.one', 'n.rows.other'), sha256: version.sha256 ?? '' }) }
        : version.status === 'validating' || version.status === 'uploading'
          ? { datasetId, percent: 100, tone: 'info', text: t('upload.stillValidating', { version: version.version }) }
          : { datasetId, percent: 100, tone: 'error', text: t('upload.rejected', { version: version.version, reason: version.reason ?? tOr(`version.${version.status}`, version.status) }) };
  } catch (error) {
    lastUpload = { datasetId, percent: lastUpload?.percent ?? 0, tone: 'error', text: html`${t('upload.failed', { message: '' })}${errorText(error)}` };
  }
  await ctx.refresh();
}

function uploadSection(ctx: PageContext, datasetId: string): TemplateResult {
  const state = lastUpload?.datasetId === datasetId ? lastUpload : undefined;
  const busy = !!state && !state.tone;
  return html`<section class="cpt-card" aria-labelledby="upload-title">
    <h2 id="upload-title" class="fr-h4">${t('upload.title')}</h2>
    <form id="upload-form" @submit=${(e: Event) => void startUpload(ctx, datasetId, e)}>
      <div class="fr-upload-group fr-mb-2w">
        <label class="fr-label" for="upload-file">${t('upload.file')}<span class="fr-hint-text">${t('upload.fileHint')}</span></label>
        <input class="fr-upload" type="file" id="upload-file" name="file" required />
      </div>
      <button class="fr-btn" type="submit" ?disabled=${busy}>${t('upload.submit')}</button>
    </form>
    ${state
      ? html`<div class="fr-mt-2w">
          <label class="fr-label" for="upload-progress">${t('upload.progress')}</label>
          <progress class="cpt-progress" id="upload-progress" max="100" .value=${state.percent}>${state.percent} %</progress>
          ${state.tone ? alertBox(state.tone, state.text) : html`<p id="upload-status" role="status">${state.text}</p>`}
        </div>`
      : nothing}
  </section>`;
}

function qualityReport(v: Version): TemplateResult {
  if (!v.quality) return html`${v.reason ?? ''}`;
  const q = v.quality;
  return html`<details><summary>${t('dataset.qualitySummary', { rows: plural(q.rows, 'n.rows.one', 'n.rows.other'), errors: plural(q.errorCount, 'n.errors.one', 'n.errors.other') })}</summary>
    ${q.errors.length
      ? table(t('dataset.quality'), [t('dataset.row'), t('dataset.field'), t('dataset.problem')], q.errors.map((e) => html`<tr><td>${e.row}</td><td>${e.field ?? '—'}</td><td>${e.reason}</td></tr>`))
      : nothing}
  </details>${formulaWarning(v)}${v.reason ? html`<p>${v.reason}</p>` : nothing}`;
}

/** Cells a spreadsheet would run as formulas: said before anyone opens the file in one. */
export function formulaWarning(v: Pick<Version, 'quality'>): TemplateResult | typeof nothing {
  const f = v.quality?.spreadsheetFormulas;
  if (!f?.count) return nothing;
  return html`<p class="fr-text--sm cpt-formula-warning" role="note">${plural(f.count, 'dataset.formulaWarning.one', 'dataset.formulaWarning.other', { rows: f.rows.join(', ') })}</p>`;
}

/** A dataset: metadata, schema, versions with their quality reports, offers, and uploads for its publisher. */
export const datasetPage: Page = async (ctx) => {
  const { api, me, params } = ctx;
  const dataset = await api.call('getDataset', { params: { id: params.id! } });
  const publisher = dataset.publisher.id === me.partner.id;
  const [versions, offers, templates] = await Promise.all([
    api.call('listVersions', { params: { id: dataset.id }, query: { limit: 20 } }).catch((e: unknown) => {
      if (e instanceof ApiError && e.status === 403) return undefined;
      throw e;
    }),
    api.call('listOffers', { query: { datasetId: dataset.id } }),
    publisher ? api.call('listTemplates') : Promise.resolve(undefined),
  ]);
  const request = (offerId: string) => (e: Event) => {
    const { purpose } = formValues(e);
    void ctx.act(async () => {
      const licence = await api.call('requestLicence', { body: { offerId, purpose: purpose ?? '' } });
      ctx.go(`/licences/${licence.id}`);
      return t('offers.requested', { state: tOr(`licence.${licence.state}`, licence.state) });
    });
  };
  return html`${pageTitle(dataset.title)}
    <p>${stateBadge('classification', dataset.classification)} ${tOr(`theme.${dataset.theme}`, dataset.theme)} · ${dataset.publisher.name} · ${t('dataset.format')} ${tOr(`format.${dataset.format}`, dataset.format)}</p>
    ${dataset.classification !== 'open' ? html`<p><a class="fr-link" data-register-link href=${hrefOf('/registre', { datasetId: dataset.id })}>${t('register.link')}</a></p>` : nothing}
    <p>${dataset.description}</p>
    ${dataset.keywords.length ? html`<ul class="fr-tags-group" aria-label=${t('dataset.keywords')}>${dataset.keywords.map((k) => html`<li><p class="fr-tag">${k}</p></li>`)}</ul>` : nothing}
    ${dataset.obligation ? html`<p>${t('dataset.obligation', { obligation: dataset.obligation.obligationId, contract: dataset.obligation.contractId })}</p>` : nothing}
    ${dataset.schema
      ? html`<h2 class="fr-h4">${t('dataset.schema')}</h2>
          ${table(t('dataset.schema'), [t('dataset.field'), t('dataset.type'), t('dataset.required'), t('dataset.personal')],
            dataset.schema.fields.map((f) => html`<tr><td><code>${f.name}</code>${f.description ? html`<br />${f.description}` : nothing}</td><td>${t(`fieldType.${f.type}`)}</td><td>${f.required ? t('common.yes') : t('common.no')}</td><td>${f.personal ? t('common.yes') : t('common.no')}</td></tr>`),
            { hiddenCaption: true })}`
      : nothing}
    ${publisher ? uploadSection(ctx, dataset.id) : nothing}
    ${dataset.classification === 'open' && dataset.format !== 'file' && versions?.items.some((v) => v.status === 'published') ? previewSection(openSource(api, dataset.id), dataset.title, 'public') : nothing}
    <h2 class="fr-h4">${t('dataset.versions')}</h2>
    ${versions
      ? table(t('dataset.versions'), [t('dataset.version'), t('dataset.status'), t('dataset.bytes'), t('dataset.rows'), t('dataset.sha256'), t('dataset.published'), t('dataset.quality')],
          versions.items.map((v) => html`<tr data-version=${v.version}><td>${v.version}</td><td>${stateBadge('version', v.status)}</td><td>${formatBytes(v.bytes)}</td><td>${v.rows === undefined ? '—' : formatNumber(v.rows)}</td><td>${v.sha256 ? html`<code>${v.sha256}</code>` : '—'}</td><td>${formatDate(v.publishedAt)}</td><td>${qualityReport(v)}</td></tr>`),
          { hiddenCaption: true })
      : html`<p>${t('dataset.versionsHidden')}</p>`}
    <h2 class="fr-h4">${t('dataset.offers')}</h2>
    ${offerTable(offers.items, (offer) =>
      !publisher && me.role !== 'officer' && offer.state === 'open'
        ? html`<form class="cpt-actions" @submit=${request(offer.id)}>
            ${textField({ name: 'purpose', id: `purpose-${offer.id}`, label: t('common.purpose'), hint: t('common.purposeHint'), required: true, pattern: '[a-z0-9][a-z0-9\\-]{1,63}' })}
            <button class="fr-btn fr-btn--sm" type="submit">${t('offers.request')}</button>
          </form>`
        : nothing,
    )}
    ${publisher && templates ? offerCreateForm(ctx, dataset.id, templates.items) : nothing}`;
};
