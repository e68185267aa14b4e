import { html } from 'lit';
import { t } from '../i18n/i18n.ts';
import type { Page } from '../router.ts';
import { pageTitle, table } from '../ui/components.ts';

/** DSP contracts: all of them for officers, their own for operators. */
export const contractsPage: Page = async ({ api, me }) => {
  const [contracts, partners] = await Promise.all([api.all('listContracts', {}, 500), me.role === 'officer' ? api.all('listPartners', {}, 1000) : Promise.resolve([])]);
  const names = new Map(partners.map((p) => [p.id, p.name]));
  return html`${pageTitle(t('contracts.title'))}
    ${table(t('contracts.title'), [t('contracts.service'), t('contracts.operator'), t('contracts.period'), t('contracts.compliance')],
      contracts.map((c) => html`<tr><td><a href="#/contracts/${c.id}">${c.service}</a></td><td>${names.get(c.operatorId) ?? (c.operatorId === me.partner.id ? me.partner.name : c.operatorId)}</td><td>${c.startsOn} → ${c.endsOn}</td><td>${c.obligations.length}</td></tr>`),
      { hiddenCaption: true })}`;
};
