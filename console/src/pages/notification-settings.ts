import { html, type TemplateResult } from 'lit';
import { NOTIFICATION_KINDS } from '../../../schemas/notification.ts';
import { t, tOr } from '../i18n/i18n.ts';
import type { PageContext } from '../router.ts';
import { formValues, selectField } from '../ui/components.ts';

/** « Mes notifications »: a signed-in person's e-mail settings (an API key has no person, so no section). */
export async function notificationSettings(ctx: PageContext): Promise<TemplateResult | undefined> {
  if (!ctx.me.person) return undefined;
  const current = await ctx.api.call('getNotificationPreferences');
  const save = (e: Event) => {
    const v = formValues(e);
    const kinds = Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, v[k] === 'digest' ? 'digest' : 'immediate']));
    void ctx.act(async () => (await ctx.api.call('putNotificationPreferences', { body: { language: v.language === 'en' ? 'en' : 'fr', kinds } }), t('notifications.saved')));
  };
  const modes = [['immediate', t('notifications.immediate')], ['digest', t('notifications.digest')]] as const;
  return html`<section class="cpt-card" aria-labelledby="notifications-title">
    <h2 class="fr-h4" id="notifications-title">${t('notifications.title')}</h2>
    <p>${t('notifications.intro')}</p>
    <form @submit=${save}>
      ${selectField({ name: 'language', id: 'notifications-language', label: t('notifications.language'), value: current.language, options: [['fr', 'Français'], ['en', 'English']] })}
      <fieldset class="fr-fieldset">
        <legend class="fr-fieldset__legend">${t('notifications.kinds')}</legend>
        ${NOTIFICATION_KINDS.map((k) => selectField({ name: k, id: `notifications-${k.replaceAll('.', '-')}`, label: tOr(`notifications.kind.${k}`, k), value: current.kinds[k], options: modes }))}
      </fieldset>
      <button class="fr-btn" type="submit">${t('notifications.save')}</button>
    </form>
  </section>`;
}
