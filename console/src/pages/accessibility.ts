import { html, nothing, type TemplateResult } from 'lit';
import audit from '../accessibility/audit.json' with { type: 'json' };
import { formatDay, formatNumber, plural, t } from '../i18n/i18n.ts';
import { pageTitle } from '../ui/components.ts';
import type { PublicPageContext } from './register.ts';

/** Who to write to: the catalogue's contact point, the collectivity as it was bootstrapped. */
async function contactOf(api: PublicPageContext['api']): Promise<{ name?: string; email?: string }> {
  const catalog = (await api.call('openCatalog', { query: { limit: 1 } as never }).catch(() => undefined)) as Record<string, any> | undefined;
  const point = catalog?.['dcat:contactPoint'] as Record<string, any> | undefined;
  // JSON-LD values come as plain strings or as {"@value"} / {"@id"} nodes.
  const valueOf = (v: unknown): string | undefined => (typeof v === 'string' ? v : ((v as Record<string, string> | undefined)?.['@value'] ?? (v as Record<string, string> | undefined)?.['@id']));
  const name = valueOf(point?.['vcard:fn']);
  const email = valueOf(point?.['vcard:hasEmail'])?.replace(/^mailto:/, '');
  return { ...(name ? { name } : {}), ...(email ? { email } : {}) };
}

/**
 * The accessibility statement in the form RGAA 4.1 asks for, built from the automated results the test suite
 * checks on every change (`accessibility/audit.json`): without a full audit, the console is declared non-compliant.
 */
export async function accessibilityPage({ api }: PublicPageContext): Promise<TemplateResult> {
  const contact = await contactOf(api);
  const who = contact.name ?? t('a11y.theCollectivity');
  const found = audit.violations.length;
  return html`${pageTitle(t('a11y.title'))}
    <p>${t('a11y.commitment', { who })}</p>
    <p>${t('a11y.scope')}</p>
    <h2 class="fr-h4 fr-mt-4w">${t('a11y.statusTitle')}</h2>
    <p data-conformity>${t('a11y.status')}</p>
    <h2 class="fr-h4 fr-mt-4w">${t('a11y.resultsTitle')}</h2>
    <p data-results>${t('a11y.results', { tool: `${audit.tool} ${audit.version}`, rules: audit.rules, pages: formatNumber(audit.pages.length), states: formatNumber(audit.states.length), found: plural(found, 'a11y.found.one', 'a11y.found.other') })}</p>
    <p>${t('a11y.automatedOnly')}</p>
    <h2 class="fr-h4 fr-mt-4w">${t('a11y.notAccessibleTitle')}</h2>
    <ul data-not-accessible>
      ${audit.violations.map((v) => html`<li>${v}</li>`)}
      <li>${t('a11y.noManualAudit')}</li>
      <li>${t('a11y.policyJson')}</li>
      <li>${t('a11y.dataFiles')}</li>
    </ul>
    <h2 class="fr-h4 fr-mt-4w">${t('a11y.madeTitle')}</h2>
    <p data-made>${t('a11y.made', { date: formatDay(audit.checkedOn) })}</p>
    <ul>
      <li>${t('a11y.technologies')}</li>
      <li>${t('a11y.environment', { tool: `${audit.tool} ${audit.version}` })}</li>
    </ul>
    <details class="fr-mb-3w"><summary>${t('a11y.pagesChecked', { count: formatNumber(audit.pages.length + audit.states.length) })}</summary>
      <ul data-pages>${[...audit.pages, ...audit.states].map((p) => html`<li><code>${p}</code></li>`)}</ul>
    </details>
    <h2 class="fr-h4 fr-mt-4w">${t('a11y.contactTitle')}</h2>
    <p data-contact>${t('a11y.contact', { who })} ${contact.email ? html`<a class="fr-link" href="mailto:${contact.email}">${contact.email}</a>` : nothing}</p>
    <h2 class="fr-h4 fr-mt-4w">${t('a11y.recourseTitle')}</h2>
    <p>${t('a11y.recourse')}</p>
    <ul>
      <li><a class="fr-link" href="https://formulaire.defenseurdesdroits.fr/" rel="noopener">${t('a11y.recourseForm')}</a></li>
      <li><a class="fr-link" href="https://www.defenseurdesdroits.fr/saisir/delegues" rel="noopener">${t('a11y.recourseDelegate')}</a></li>
      <li>${t('a11y.recoursePost')}</li>
    </ul>`;
}
