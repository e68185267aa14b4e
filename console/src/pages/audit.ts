import { html, nothing } from 'lit';
import type { ResponseOf } from '../../../sdk/client.ts';
import { verifyChain } from '../../../sdk/flows.ts';
import { formatDate, plural, t, tOr } from '../i18n/i18n.ts';
import { hrefOf, type Page } from '../router.ts';
import { alertBox, formValues, pageTitle, selectField, shortId, table, textField } from '../ui/components.ts';

/** The last verification of this tab, and the one started when the register was first opened. */
let lastVerify: ResponseOf<'verifyAudit'> | undefined;
let autoVerify: Promise<void> | undefined;
let autoVerifyDone = false;

/** The audit explorer: the chain (bodies the caller may read, hashes of the rest), a subject filter and verification. */
export const auditPage: Page = async (ctx) => {
  const subject = ctx.query.get('subject') ?? '';
  const cursor = ctx.query.get('cursor') ?? '';
  const party = ctx.query.get('party') ?? '';
  const since = ctx.query.get('since') ?? '';
  const until = ctx.query.get('until') ?? '';
  // Days are read in UTC, as the chain records its instants.
  const period = { ...(since ? { since: `${since}T00:00:00.000Z` } : {}), ...(until ? { until: `${until}T23:59:59.999Z` } : {}) };
  const [page, partners, datasets] = await Promise.all([
    // Newest first, as a register is read.
    ctx.api.call('listAudit', { query: { limit: 100, order: 'desc', ...(subject ? { subject } : {}), ...(party ? { party } : {}), ...period, ...(cursor ? { cursor } : {}) } }),
    ctx.api.all('listPartners', {}, 1000),
    ctx.api.all('listDatasets', {}, 1000),
  ]);
  const names = new Map(partners.map((p) => [p.id, p.name]));
  const verify = () =>
    void ctx.act(async () => {
      lastVerify = await verifyChain(ctx.api);
    });
  // The register opens with the chain's verification at its top, run once per tab (the button runs it again).
  autoVerify ??= verifyChain(ctx.api)
    .then((verdict) => {
      lastVerify = verdict;
    }, () => undefined)
    .finally(() => {
      autoVerifyDone = true;
      void ctx.refresh();
    });
  return html`${pageTitle(t('audit.title'), t('audit.intro'))}
    ${lastVerify
      ? lastVerify.valid
        ? alertBox('success', t('audit.valid', { events: plural(lastVerify.events, 'n.eventsChecked.one', 'n.eventsChecked.other'), seq: lastVerify.head.seq }))
        : alertBox('error', t('audit.broken', { seq: lastVerify.brokenSeq ?? '?', reason: lastVerify.reason ?? '' }))
      : autoVerifyDone ? nothing : html`<p role="status" id="verify-status">${t('audit.verifying')}</p>`}
    <div class="cpt-actions fr-mb-3w">
      <button class="fr-btn" type="button" id="verify-button" @click=${verify}>${t('audit.verify')}</button>
      <form class="cpt-actions" id="audit-filters" @submit=${(e: Event) => ctx.go('/audit', Object.fromEntries(Object.entries(formValues(e)).filter(([, v]) => v !== '')))}>
        ${selectField({ name: 'party', label: t('audit.partyFilter'), value: party, options: [['', t('audit.anyParty')], ...partners.map((p) => [p.id, p.name] as const)] })}
        ${selectField({ name: 'subject', label: t('audit.datasetFilter'), value: subject, options: [['', t('audit.anyDataset')], ...datasets.map((d) => [d.id, d.title] as const), ...(subject && !datasets.some((d) => d.id === subject) ? [[subject, subject] as const] : [])] })}
        ${textField({ name: 'since', label: t('audit.since'), type: 'date', value: since })}
        ${textField({ name: 'until', label: t('audit.until'), type: 'date', value: until })}
        <button class="fr-btn fr-btn--secondary" type="submit">${t('audit.filter')}</button>
      </form>
    </div>
    ${table(t('audit.title'), [t('audit.seq'), t('common.date'), t('audit.action'), t('audit.subject'), t('audit.actor'), t('audit.hash')],
      page.items.map((e) => html`<tr><td>${e.seq}</td>
        ${e.body
          ? html`<td>${formatDate(e.body.at)}</td><td data-action=${e.body.action}>${tOr(`action.${e.body.action}`, e.body.action)}</td><td><a href="#/audit?subject=${encodeURIComponent(e.body.subject)}">${shortId(e.body.subject)}</a></td><td>${e.body.actor.type === 'system' ? e.body.actor.name : e.body.actor.type === 'person' ? (page.people?.[e.body.actor.personId]?.name ?? page.people?.[e.body.actor.personId]?.email ?? shortId(e.body.actor.personId)) : (names.get(e.body.actor.partnerId) ?? shortId(e.body.actor.partnerId))}</td>`
          : html`<td colspan="4"><em>${t('audit.hidden')}</em></td>`}
        <td>${shortId(e.hash)}</td></tr>`),
      { hiddenCaption: true })}
    ${page.cursor ? html`<p><a class="fr-link" href=${hrefOf('/audit', Object.fromEntries(Object.entries({ subject, party, since, until, cursor: page.cursor }).filter(([, v]) => v !== '')))}>${t('common.more')}</a></p>` : nothing}`;
};
