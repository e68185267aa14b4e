import { html } from 'lit';
import { formatDate, t, tOr } from '../i18n/i18n.ts';
import type { Page } from '../router.ts';
import { formValues, pageTitle, selectField, shortId, table, textField } from '../ui/components.ts';

/** One partner, its API keys (issue, shown once, and revoke) and its people (invite by e-mail address). */
export const partnerPage: Page = async (ctx) => {
  const id = ctx.params.id!;
  const [partner, keys, people] = await Promise.all([
    ctx.api.call('getPartner', { params: { id } }),
    ctx.api.all('listKeys', { params: { id } }, 500),
    ctx.api.all('listPeople', { params: { id } }, 500),
  ]);
  const issue = (e: Event) => {
    const v = formValues(e);
    void ctx.act(async () => {
      const key = await ctx.api.call('createKey', { params: { id }, body: { role: v.role as never, label: v.label ?? '' } });
      return `${t('partners.issued', { key: key.key })} ${t('common.copyHint')}`;
    });
  };
  const invite = (e: Event) => {
    const v = formValues(e);
    void ctx.act(async () => {
      const person = await ctx.api.call('invitePerson', { params: { id }, body: { email: v.email ?? '', role: v.role as never, ...(v.siret ? { siret: v.siret } : {}) } });
      return t('people.invited', { email: person.email });
    });
  };
  // People of the collectivity are its officers; a partner's are admins or members.
  const personRoles = partner.kind === 'collectivity' ? (['officer'] as const) : (['member', 'admin'] as const);
  const roles = partner.kind === 'collectivity' ? (['officer', 'admin', 'member'] as const) : (['admin', 'member'] as const);
  return html`${pageTitle(partner.name, `${tOr(`kind.${partner.kind}`, partner.kind)} · ${partner.contactEmail}`)}
    <h2 class="fr-h4">${t('partners.keys')}</h2>
    ${table(t('partners.keys'), [t('common.id'), t('partners.keyLabel'), t('partners.keyRole'), t('common.created'), t('common.actions')],
      keys.map((k) => html`<tr><td>${shortId(k.keyId)}</td><td>${k.label}</td><td>${tOr(`role.${k.role}`, k.role)}</td><td>${formatDate(k.createdAt)}</td>
        <td>${k.revokedAt ? t('partners.revokedAt', { date: formatDate(k.revokedAt) }) : html`<button class="fr-btn fr-btn--sm fr-btn--secondary" type="button" @click=${() => confirm(t('confirm.revokeKey')) && void ctx.act(async () => (await ctx.api.call('revokeKey', { params: { keyId: k.keyId } }), t('partners.revoked')))}>${t('partners.revoke')}</button>`}</td></tr>`),
      { hiddenCaption: true })}
    <section class="cpt-card" aria-labelledby="key-issue">
      <h2 class="fr-h4" id="key-issue">${t('partners.issue')}</h2>
      <form class="cpt-actions" @submit=${issue}>
        ${textField({ name: 'label', label: t('partners.keyLabel'), required: true })}
        ${selectField({ name: 'role', label: t('partners.keyRole'), options: roles.map((r) => [r, tOr(`role.${r}`, r)] as const) })}
        <button class="fr-btn" type="submit">${t('partners.issue')}</button>
      </form>
    </section>
    <h2 class="fr-h4" id="people">${t('people.title')}</h2>
    ${people.length === 0
      ? html`<p>${t('people.none')}</p>`
      : table(t('people.title'), [t('people.email'), t('people.name'), t('people.role'), t('people.status'), t('common.created')],
          people.map((p) => html`<tr data-person=${p.id}><td>${p.email}</td><td>${p.name ?? ''}</td><td>${tOr(`role.${p.role}`, p.role)}</td><td>${t(`people.status.${p.status}`)}</td><td>${formatDate(p.invitedAt)}</td></tr>`),
          { hiddenCaption: true })}
    <section class="cpt-card" aria-labelledby="person-invite">
      <h2 class="fr-h4" id="person-invite">${t('people.invite')}</h2>
      <p class="fr-hint-text">${t('people.inviteHint')}</p>
      <form class="cpt-actions" @submit=${invite}>
        ${textField({ name: 'email', id: 'f-person-email', label: t('people.email'), type: 'email', required: true, autocomplete: 'off' })}
        ${selectField({ name: 'role', id: 'f-person-role', label: t('people.role'), options: personRoles.map((r) => [r, tOr(`role.${r}`, r)] as const) })}
        ${textField({ name: 'siret', id: 'f-person-siret', label: t('people.siret'), hint: t('people.siretHint'), pattern: '[0-9]{14}' })}
        <button class="fr-btn" type="submit">${t('people.invite')}</button>
      </form>
    </section>`;
};
