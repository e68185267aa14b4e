import { html, nothing, type TemplateResult } from 'lit';
import { ThemeSchema } from '../../../schemas/dataset.ts';
import { RegisterStateSchema, type Register, type RegisterEntry } from '../../../schemas/register.ts';
import { formatDay, formatNumber, lang, plural, t, tOr } from '../i18n/i18n.ts';
import { hrefOf, type PageContext } from '../router.ts';
import { formValues, pageTitle, selectField, stateBadge, table, textField } from '../ui/components.ts';

/** What a public page gets: no caller, only the API without a key. */
export type PublicPageContext = Pick<PageContext, 'api' | 'query' | 'go'>;

const FILTERS = ['datasetId', 'licenseeId', 'theme', 'state', 'from', 'until'] as const;

/** The public register of data sharing, readable without an account: who receives which non-open data, why, under which clauses. */
export async function registerPage({ api, query, go }: PublicPageContext): Promise<TemplateResult> {
  const filters = Object.fromEntries(FILTERS.flatMap((f) => (query.get(f) ? [[f, query.get(f)!]] : []))) as Record<(typeof FILTERS)[number], string>;
  const cursor = query.get('cursor') ?? undefined;
  const page = await api.call('openRegister', { query: { limit: 50, ...filters, ...(cursor ? { cursor } : {}) } as never });
  const submit = (e: Event) => go('/registre', formValues(e));
  const download = (suffix: string) => `/open/register.${suffix}?${new URLSearchParams(filters)}`;
  return html`${pageTitle(t('register.title'), t('register.lead'))}
    <div class="fr-callout fr-mb-3w"><p class="fr-callout__text" data-register-explanation>${t('register.explanation')}</p></div>
    ${optOuts(page)}
    <form class="cpt-filters fr-mb-3w" role="search" @submit=${submit}>
      ${textField({ name: 'datasetId', label: t('register.dataset'), value: filters.datasetId ?? '' })}
      ${textField({ name: 'licenseeId', label: t('register.licensee'), value: filters.licenseeId ?? '' })}
      ${selectField({ name: 'theme', label: t('catalogue.theme'), value: filters.theme ?? '', options: [['', t('catalogue.any')], ...ThemeSchema.options.map((o) => [o, tOr(`theme.${o}`, o)] as const)] })}
      ${selectField({ name: 'state', label: t('register.state'), value: filters.state ?? '', options: [['', t('catalogue.anyFem')], ...RegisterStateSchema.options.map((o) => [o, tOr(`licence.${o}`, o)] as const)] })}
      ${textField({ name: 'from', label: t('register.from'), type: 'date', value: filters.from ?? '' })}
      ${textField({ name: 'until', label: t('register.until'), type: 'date', value: filters.until ?? '' })}
      <div><button class="fr-btn" type="submit">${t('catalogue.search')}</button></div>
    </form>
    <p id="result-count">${plural(page.items.length, 'register.count.one', 'register.count.other')}</p>
    ${maskedSummary(page.items)}
    <p><a class="fr-link fr-icon-download-line fr-link--icon-left" href=${download('csv')} download>CSV</a>
      <a class="fr-link fr-ml-2w" href=${download('jsonld')}>JSON-LD (DCAT-AP, ODRL)</a></p>
    ${page.items.map(entryCard)}
    ${page.cursor ? html`<p><a class="fr-link" href=${hrefOf('/registre', { ...filters, cursor: page.cursor })}>${t('common.more')}</a></p>` : nothing}
    ${contracts(page)}`;
}

function optOuts(page: Register): TemplateResult | typeof nothing {
  if (!page.optOuts.length) return nothing;
  return html`<div class="fr-notice fr-notice--info fr-mb-3w" data-opt-outs><div class="fr-container"><div class="fr-notice__body">
    <p class="fr-notice__title">${t('register.optOuts')}</p>
    <ul>${page.optOuts.map((o) => html`<li>${tOr(`theme.${o.theme}`, o.theme)} — ${o.legalBasis}</li>`)}</ul>
  </div></div></div>`;
}

/** « 1 licence masquée : sécurité des réseaux », one line per reason. */
function maskedSummary(items: readonly RegisterEntry[]): TemplateResult | typeof nothing {
  const reasons = new Map<string, number>();
  for (const e of items) if (e.masked) reasons.set(e.masked.reason, (reasons.get(e.masked.reason) ?? 0) + 1);
  if (!reasons.size) return nothing;
  return html`<ul data-masked-summary>${[...reasons].map(([reason, n]) => html`<li>${plural(n, 'register.masked.one', 'register.masked.other', { reason })}</li>`)}</ul>`;
}

function entryCard(e: RegisterEntry): TemplateResult {
  const title = e.dataset.title ?? t('register.maskedTitle');
  return html`<section class="fr-card fr-mb-3w fr-p-3w" data-register-entry=${e.licenceId} id=${`entry-${e.licenceId}`}>
    <h2 class="fr-h5">${title} ${stateBadge('licence', e.state)}</h2>
    ${e.masked ? html`<p class="fr-badge fr-badge--warning" data-masked>${t('register.maskedBecause', { reason: e.masked.reason })}</p>` : nothing}
    <dl class="cpt-facts">
      <dt>${t('register.publisher')}</dt><dd>${e.dataset.publisher.name}</dd>
      <dt>${t('register.licensee')}</dt><dd>${e.licensee.name} (${tOr(`kind.${e.licensee.kind}`, e.licensee.kind)})</dd>
      <dt>${t('register.purpose')}</dt><dd>${e.purpose ?? t('register.maskedPurpose')}</dd>
      <dt>${t('register.period')}</dt><dd>${formatDay(e.period.from)} — ${e.period.until ? formatDay(e.period.until) : t('register.openEnded')}</dd>
      <dt>${t('register.consideration')}</dt><dd>${consideration(e)}</dd>
      <dt>${t('register.approval')}</dt><dd>${e.approval.approvedAt ? t('register.approvedOn', { date: formatDay(e.approval.approvedAt) }) : e.approval.required ? '—' : t('register.noApproval')}</dd>
      ${e.end ? html`<dt>${t('register.end')}</dt><dd data-end>${tOr(`licence.${e.end.state}`, e.end.state)}, ${formatDay(e.end.at)}${e.end.reason ? html` — ${e.end.reason}` : nothing}</dd>` : nothing}
    </dl>
    <details><summary>${t('licences.clauses')}</summary><ul class="cpt-clauses" data-clauses>${e.clauses.map((c) => html`<li>${c}</li>`)}</ul></details>
    <details><summary>${plural(e.proofs.length, 'register.proofs.one', 'register.proofs.other')}</summary>
      <ul>${e.proofs.map((p) => html`<li><code>#${p.seq}</code> ${p.action} <code title=${p.hash}>${p.hash.slice(0, 16)}…</code></li>`)}</ul></details>
  </section>`;
}

function consideration(e: RegisterEntry): string {
  const c = e.consideration;
  if (c.kind === 'free') return t('register.free');
  if (c.kind === 'credits') return plural(c.credits, 'register.credits.one', 'register.credits.other');
  return c.credits ? `${t('register.barter')} + ${plural(c.credits, 'register.credits.one', 'register.credits.other')}` : t('register.barter');
}

function contracts(page: Register): TemplateResult | typeof nothing {
  if (!page.contracts.length) return nothing;
  return html`<h2 class="fr-h4 fr-mt-5w">${t('register.contracts')}</h2>
    <p>${t('register.contractsLead')}</p>
    ${table(
      t('register.contracts'),
      [t('register.operator'), t('register.service'), t('register.obligation'), t('register.compliance')],
      page.contracts.flatMap((c) =>
        c.obligations.map((o) => html`<tr data-obligation=${o.obligationId}><td>${c.operator.name}</td><td>${c.service}</td><td>${o.title}</td><td>${stateBadge('compliance', o.status)}</td></tr>`),
      ),
      { hiddenCaption: true },
    )}`;
}
