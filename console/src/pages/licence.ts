import { html, nothing, type TemplateResult } from 'lit';
import type { ResponseOf } from '../../../sdk/client.ts';
import { accessWhenReady, pollAccess } from '../../../sdk/flows.ts';
import { formatDate, plural, t, tOr } from '../i18n/i18n.ts';
import type { Page, PageContext } from '../router.ts';
import { alertBox, errorText, formValues, pageTitle, stateBadge, table, textField } from '../ui/components.ts';
import { appliedRules, approvalForms, clauseTexts, type Licence } from './licence-views.ts';
import { previewSection } from '../preview/section.ts';
import { licenceSource } from '../preview/source.ts';

type Decision = ResponseOf<'accessLicence'>;
/** How long the page waits for an enforced variant before offering to check again. */
const PREPARE_WAIT_MS = 2 * 60_000;

/** The last access of this tab, kept across refreshes; `busy` while a request is in flight. */
let lastAccess: { licenceId: string; busy?: boolean; decision?: Decision; denied?: TemplateResult; formulas?: { count: number; rows: number[] } } | undefined;

/** The version's formula-cell warning, when the caller may read its quality report (its publisher, officers); else none. */
async function formulasOf(ctx: PageContext, licence: Licence, decision: Decision): Promise<{ count: number; rows: number[] } | undefined> {
  if (decision.status !== 'ready' || !decision.version) return undefined;
  const version = await ctx.api.call('getVersion', { params: { id: licence.datasetId, n: decision.version } }).catch(() => undefined);
  return version?.quality?.spreadsheetFormulas?.count ? version.quality.spreadsheetFormulas : undefined;
}

async function runAccess(ctx: PageContext, licence: Licence, attempt: () => Promise<{ decision: Decision }>): Promise<void> {
  lastAccess = { licenceId: licence.id, busy: true, ...(lastAccess?.licenceId === licence.id && lastAccess.decision ? { decision: lastAccess.decision } : {}) };
  await ctx.refresh();
  try {
    const { decision } = await attempt();
    const formulas = await formulasOf(ctx, licence, decision);
    lastAccess = { licenceId: licence.id, decision, ...(formulas ? { formulas } : {}) };
  } catch (error) {
    lastAccess = { licenceId: licence.id, denied: errorText(error) };
  }
  await ctx.refresh();
  document.getElementById('access-outcome')?.focus();
}

/** Asks before downloading a file whose cells a spreadsheet would run as formulas. */
function confirmFormulas(e: Event, formulas: { count: number; rows: number[] } | undefined): void {
  if (formulas && !window.confirm(plural(formulas.count, 'licences.formulaConfirm.one', 'licences.formulaConfirm.other', { rows: formulas.rows.slice(0, 5).join(', ') }))) e.preventDefault();
}

function accessPanel(ctx: PageContext, licence: Licence): TemplateResult {
  const state = lastAccess?.licenceId === licence.id ? lastAccess : undefined;
  const d = state?.decision;
  const request = () => runAccess(ctx, licence, () => accessWhenReady(ctx.api, licence.id, { purpose: licence.purpose }, { timeoutMs: PREPARE_WAIT_MS }));
  const checkAgain = () => runAccess(ctx, licence, () => pollAccess(ctx.api, d!, { timeoutMs: PREPARE_WAIT_MS }));
  return html`<section class="cpt-card" aria-labelledby="access-title">
    <h2 id="access-title" class="fr-h4">${t('licences.access')}</h2>
    <button class="fr-btn" type="button" id="access-button" ?disabled=${state?.busy} @click=${() => void request()}>${t('licences.access')}</button>
    <div id="access-outcome" tabindex="-1" class="fr-mt-2w">
      ${state?.busy ? html`<p role="status">${t('licences.preparing')}</p>` : nothing}
      ${state?.denied ? alertBox('error', state.denied, t('licences.denied')) : nothing}
      ${!state?.busy && d?.status === 'ready'
        ? html`${alertBox('success', t('licences.ready'))}${state?.formulas ? alertBox('warning', plural(state.formulas.count, 'dataset.formulaWarning.one', 'dataset.formulaWarning.other', { rows: state.formulas.rows.join(', ') })) : nothing}<p><a class="fr-btn fr-btn--secondary" id="download-link" href=${d.url} download @click=${(e: Event) => confirmFormulas(e, state?.formulas)}>${t('licences.download')}${d.version ? ` — ${t('dataset.version')} ${d.version}` : ''}</a></p>
            ${d.transforms?.length ? html`<p class="fr-text--sm">${d.transforms.map((c) => c.kind).join(', ')}</p>` : nothing}`
        : nothing}
      ${!state?.busy && d?.status === 'preparing'
        ? html`${alertBox('info', t('licences.stillPreparing'))}<button class="fr-btn fr-btn--secondary" type="button" @click=${() => void checkAgain()}>${t('licences.checkAgain')}</button>`
        : nothing}
    </div>
  </section>`;
}

function dutiesSection(ctx: PageContext, licence: Licence, duties: ResponseOf<'listDuties'>['items'], licensee: boolean): TemplateResult {
  const attest = (dutyId: string) => (e: Event) => {
    const { statement } = formValues(e);
    void ctx.act(async () => {
      await ctx.api.call('attestDuty', { params: { id: licence.id, dutyId }, body: { statement: statement ?? '' } });
      return t('licences.attested');
    });
  };
  return html`<h2 class="fr-h4">${t('licences.duties')}</h2>
    ${table(t('licences.duties'), [t('licences.duty'), t('common.state'), t('licences.due'), t('common.actions')],
      duties.map((d) => html`<tr><td>${tOr(`duty.${d.kind}`, d.kind)}</td><td>${stateBadge('dutyStatus', d.status)}</td><td>${formatDate(d.dueAt)}</td>
        <td>${licensee && (d.kind === 'delete-on-expiry' || d.kind === 'usage-report') && (d.status === 'open' || d.status === 'overdue')
          ? html`<form class="cpt-actions" @submit=${attest(d.dutyId)}>${textField({ name: 'statement', id: `statement-${d.dutyId}`, label: t('licences.statement'), required: true, minlength: 3 })}<button class="fr-btn fr-btn--sm" type="submit">${t('licences.attest')}</button></form>`
          : nothing}</td></tr>`),
      { hiddenCaption: true })}`;
}

function reasonForm(id: string, label: string, submit: (reason: string) => void): TemplateResult {
  return html`<form class="cpt-actions fr-mb-2w" id=${id} @submit=${(e: Event) => submit(formValues(e).reason ?? '')}>
    ${textField({ name: 'reason', id: `${id}-reason`, label: t('common.reason'), hint: t('common.partyReasonHint'), required: true, minlength: 3 })}
    <button class="fr-btn fr-btn--secondary" type="submit">${label}</button>
  </form>`;
}

/** One licence: clauses in plain language, the policy rules applied, history, and what the caller may do next. */
export const licencePage: Page = async (ctx) => {
  const { api, me, params } = ctx;
  const licence = await api.call('getLicence', { params: { id: params.id! } });
  const [dataset, policy, duties] = await Promise.all([
    api.call('getDataset', { params: { id: licence.datasetId } }).catch(() => undefined),
    api.call('getPolicy'),
    api.call('listDuties', { params: { id: licence.id } }),
  ]);
  const licensee = licence.licensee.id === me.partner.id;
  const officer = me.role === 'officer';
  const licensor = licence.licensor.id === me.partner.id;
  const sign = () => void ctx.act(async () => (await api.call('signLicence', { params: { id: licence.id }, idempotencyKey: `sign-${licence.id}` }), t('licences.signed')));
  const change = (op: 'revokeLicence' | 'terminateLicence' | 'declineLicence') => (reason: string) =>
    void ctx.act(async () => t('licences.done', { state: tOr(`licence.${(await api.call(op, { params: { id: licence.id }, body: { reason } })).state}`, '') }));
  return html`${pageTitle(`${t('licences.title')} — ${dataset?.title ?? licence.datasetId}`)}
    <p>${stateBadge('licence', licence.state)} ${licence.licensor.name} → ${licence.licensee.name} · ${t('common.purpose')} <code>${licence.purpose}</code></p>
    ${officer && licence.state === 'pending_approval' ? approvalForms(ctx, licence) : nothing}
    ${licensee && licence.state === 'awaiting_signature' ? html`<p><button class="fr-btn" id="sign-button" type="button" @click=${sign}>${t('licences.sign')}</button></p>` : nothing}
    ${licensee && licence.state === 'active' ? accessPanel(ctx, licence) : nothing}
    ${licensee && licence.state === 'active' && dataset && dataset.format !== 'file' ? previewSection(licenceSource(api, licence.id, licence.purpose, !!me.session), dataset.title, 'licensee') : nothing}
    <h2 class="fr-h4">${t('licences.clauses')}</h2>
    ${clauseTexts(licence)}
    <h2 class="fr-h4">${t('licences.policyRules')}</h2>
    ${appliedRules(licence, policy)}
    ${duties.items.length ? dutiesSection(ctx, licence, duties.items, licensee) : nothing}
    <h2 class="fr-h4">${t('licences.history')}</h2>
    ${table(t('licences.history'), [t('common.date'), t('common.state'), t('common.reason')],
      licence.history.map((h) => html`<tr><td>${formatDate(h.at)}</td><td>${stateBadge('licence', h.state)}</td><td>${h.reason ?? ''}</td></tr>`), { hiddenCaption: true })}
    ${licence.digest ? html`<p class="fr-text--sm">${t('licences.digest')} : <code>${licence.digest}</code></p>` : nothing}
    ${(licence.state === 'active' || licence.state === 'suspended') && (licensee || licensor)
      ? reasonForm('terminate', t('licences.terminate'), change('terminateLicence'))
      : nothing}
    ${licensor && (licence.state === 'pending_approval' || licence.state === 'awaiting_signature') ? reasonForm('decline', t('licences.decline'), change('declineLicence')) : nothing}
    ${(officer || licensor) && (licence.state === 'active' || licence.state === 'suspended' || licence.state === 'awaiting_signature') ? reasonForm('revoke', t('licences.revoke'), change('revokeLicence')) : nothing}`;
};
