import { html } from 'lit';
import { formatDate, t, tOr } from '../i18n/i18n.ts';
import type { Page } from '../router.ts';
import { formValues, pageTitle, selectField, table, textField } from '../ui/components.ts';

/** Officers: the territory's partners, and registering a new one with its first admin key. */
export const partnersPage: Page = async (ctx) => {
  const partners = await ctx.api.all('listPartners', {}, 1000);
  const submit = (e: Event) => {
    const v = formValues(e);
    void ctx.act(async () => {
      const created = await ctx.api.call('createPartner', {
        body: { name: v.name ?? '', kind: v.kind as never, contactEmail: v.contactEmail ?? '', ...(v.siren ? { siren: v.siren } : {}) },
      });
      return `${t('partners.created', { key: created.adminKey.key })} ${t('common.copyHint')}`;
    });
  };
  return html`${pageTitle(t('partners.title'))}
    ${table(t('partners.title'), [t('partners.name'), t('partners.kind'), t('partners.siren'), t('partners.email'), t('common.created')],
      partners.map((p) => html`<tr><td><a href="#/partners/${p.id}">${p.name}</a></td><td>${tOr(`kind.${p.kind}`, p.kind)}</td><td>${p.siren ?? '—'}</td><td>${p.contactEmail}</td><td>${formatDate(p.createdAt)}</td></tr>`),
      { hiddenCaption: true })}
    <section class="cpt-card" aria-labelledby="partner-create">
      <h2 class="fr-h4" id="partner-create">${t('partners.create')}</h2>
      <form id="partner-form" @submit=${submit}>
        ${textField({ name: 'name', label: t('partners.name'), required: true })}
        ${selectField({ name: 'kind', label: t('partners.kind'), options: (['dsp', 'public', 'private'] as const).map((k) => [k, tOr(`kind.${k}`, k)] as const) })}
        ${textField({ name: 'siren', label: t('partners.siren'), pattern: '\\d{9}' })}
        ${textField({ name: 'contactEmail', label: t('partners.email'), type: 'email', required: true })}
        <button class="fr-btn" type="submit">${t('partners.create')}</button>
      </form>
    </section>`;
};
