import { html, nothing, type TemplateResult } from 'lit';
import { ApiError, type ResponseOf } from '../../../sdk/client.ts';
import { formatDate, t, tOr } from '../i18n/i18n.ts';
import type { Page, PageContext } from '../router.ts';
import { alertBox, formValues, pageTitle, stateBadge, table, textField } from '../ui/components.ts';
import { appliedRules, clauseTexts, type Licence } from './licence-views.ts';

type Decision = ResponseOf<'accessLicence'>;
const POLL_MS = 1000;
const POLL_LIMIT = 120;

/** The last access decision of this tab, kept across refreshes. */
let lastAccess: { licenceId: string; decision?: Decision; denied?: string } | undefined;

async function requestAccess(ctx: PageContext, licence: Licence): Promise<void> {
  lastAccess = { licenceId: licence.id };
  try {
    let { status, body } = await ctx.api.exchange('accessLicence', { params: { id: licence.id }, body: { purpose: licence.purpose } });
    lastAccess = { licenceId: licence.id, decision: body };
    await ctx.refresh();
    for (let i = 0; status === 202 && body.accessId && i < POLL_LIMIT; i++) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      ({ status, body } = await ctx.api.exchange('getAccess', { params: { id: body.accessId! } }));
    }
    lastAccess = { licenceId: licence.id, decision: body };
  } catch (error) {
    lastAccess = { licenceId: licence.id, denied: error instanceof ApiError ? error.message : String(error) };
  }
  await ctx.refresh();
}

function accessPanel(ctx: PageContext, licence: Licence): TemplateResult {
  const state = lastAccess?.licenceId === licence.id ? lastAccess : undefined;
  const d = state?.decision;
  return html`<section class="cpt-card" aria-labelledby="access-title">
    <h2 id="access-title" class="fr-h4">${t('licences.access')}</h2>
    <button class="fr-btn" type="button" id="access-button" @click=${() => void requestAccess(ctx, licence)}>${t('licences.access')}</button>
    ${state?.denied ? alertBox('error', state.denied, t('licences.denied')) : nothing}
    ${d?.url
      ? html`${alertBox('success', t('licences.ready'))}<p><a class="fr-btn fr-btn--secondary" id="download-link" href=${d.url} download>${t('licences.download')}${d.version ? ` — ${t('dataset.version')} ${d.version}` : ''}</a></p>
          ${d.transforms?.length ? html`<p class="fr-text--sm">${d.transforms.map((c) => c.kind).join(', ')}</p>` : nothing}`
      : d?.status === 'preparing'
        ? html`<p role="status">${t('licences.preparing')}</p>`
        : nothing}
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
          ? html`<form class="cpt-actions" @submit=${attest(d.dutyId)}>${textField({ name: 'statement', label: t('licences.statement'), required: true })}<button class="fr-btn fr-btn--sm" type="submit">${t('licences.attest')}</button></form>`
          : nothing}</td></tr>`),
      { hiddenCaption: true })}`;
}

function reasonForm(id: string, label: string, submit: (reason: string) => void): TemplateResult {
  return html`<form class="cpt-actions fr-mb-2w" id=${id} @submit=${(e: Event) => submit(formValues(e).reason ?? '')}>
    ${textField({ name: 'reason', label: t('common.reason'), hint: t('common.reasonHint'), required: true })}
    <button class="fr-btn fr-btn--secondary" type="submit">${label}</button>
  </form>`;
}

/** Officer decision on a pending request: one reason field (required to reject), approve or reject. */
export function approvalForms(ctx: PageContext, licence: Licence): TemplateResult {
  const decide = (event: SubmitEvent) => {
    const decision = (event.submitter as HTMLButtonElement | null)?.value;
    const { reason } = formValues(event);
    void ctx.act(async () => {
      if (decision === 'reject') {
        await ctx.api.call('rejectLicence', { params: { id: licence.id }, body: { reason: reason ?? '' } });
        return t('licences.rejected');
      }
      await ctx.api.call('approveLicence', { params: { id: licence.id }, body: reason ? { reason } : {} });
      return t('licences.approved');
    });
  };
  const fieldId = `reason-${licence.id}`;
  return html`<form class="cpt-actions fr-mb-2w" id="decide-${licence.id}" @submit=${decide}>
    <div class="fr-input-group">
      <label class="fr-label" for=${fieldId}>${t('common.reason')}<span class="fr-hint-text" id="${fieldId}-hint">${t('inbox.reasonHint')}</span></label>
      <input class="fr-input" id=${fieldId} name="reason" aria-describedby="${fieldId}-hint" />
    </div>
    <button class="fr-btn" type="submit" name="decision" value="approve">${t('licences.approve')}</button>
    <button class="fr-btn fr-btn--secondary" type="submit" name="decision" value="reject">${t('licences.reject')}</button>
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
  const change = (op: 'revokeLicence' | 'terminateLicence') => (reason: string) =>
    void ctx.act(async () => t('licences.done', { state: tOr(`licence.${(await api.call(op, { params: { id: licence.id }, body: { reason } })).state}`, '') }));
  return html`${pageTitle(`${t('licences.title')} — ${dataset?.title ?? licence.datasetId}`)}
    <p>${stateBadge('licence', licence.state)} ${licence.licensor.name} → ${licence.licensee.name} · ${t('common.purpose')} <code>${licence.purpose}</code></p>
    ${officer && licence.state === 'pending_approval' ? approvalForms(ctx, licence) : nothing}
    ${licensee && licence.state === 'awaiting_signature' ? html`<p><button class="fr-btn" id="sign-button" type="button" @click=${sign}>${t('licences.sign')}</button></p>` : nothing}
    ${licensee && licence.state === 'active' ? accessPanel(ctx, licence) : nothing}
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
    ${(officer || licensor) && (licence.state === 'active' || licence.state === 'suspended' || licence.state === 'awaiting_signature') ? reasonForm('revoke', t('licences.revoke'), change('revokeLicence')) : nothing}`;
};
