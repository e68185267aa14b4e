import { html, type TemplateResult } from 'lit';
import type { Compliance, ComplianceStatus } from '../../../schemas/contract.ts';
import { plural, t } from '../i18n/i18n.ts';
import type { Page } from '../router.ts';
import { pageTitle, table } from '../ui/components.ts';

/** Worst first: what an officer must act on leads the cell. */
const STATUSES: readonly ComplianceStatus[] = ['missing', 'late', 'on_time'];

/** A contract's delivery obligations in words: `1 livraison manquante, 2 dans les délais`. */
function complianceSummary(compliance: Compliance | undefined): TemplateResult | string {
  if (!compliance) return '—';
  if (compliance.obligations.length === 0) return t('contracts.noObligation');
  const parts = STATUSES.flatMap((s) => {
    const n = compliance.obligations.filter((o) => o.status === s).length;
    return n ? [html`<span class="fr-badge fr-badge--sm fr-badge--no-icon fr-mr-1w" data-compliance=${s}>${plural(n, `contracts.summary.${s}.one`, `contracts.summary.${s}.other`)}</span>`] : [];
  });
  return html`${parts}`;
}

/** DSP contracts: all of them for officers, their own for operators, each with how its deliveries stand. */
export const contractsPage: Page = async ({ api, me }) => {
  const [contracts, partners] = await Promise.all([api.all('listContracts', {}, 500), me.role === 'officer' ? api.all('listPartners', {}, 1000) : Promise.resolve([])]);
  const names = new Map(partners.map((p) => [p.id, p.name]));
  // A contract whose compliance cannot be read shows a dash rather than failing the whole list.
  const compliance = await Promise.all(contracts.map((c) => api.call('contractCompliance', { params: { id: c.id } }).catch(() => undefined)));
  return html`${pageTitle(t('contracts.title'))}
    ${table(t('contracts.title'), [t('contracts.service'), t('contracts.operator'), t('contracts.period'), t('contracts.compliance')],
      contracts.map((c, i) => html`<tr data-contract=${c.id}><td><a href="#/contracts/${c.id}">${c.service}</a></td><td>${names.get(c.operatorId) ?? (c.operatorId === me.partner.id ? me.partner.name : c.operatorId)}</td><td>${c.startsOn} → ${c.endsOn}</td><td>${complianceSummary(compliance[i])}</td></tr>`),
      { hiddenCaption: true })}`;
};
