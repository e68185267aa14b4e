import { describe, expect, it } from 'vitest';
import { NOTIFICATION_KINDS, PutNotificationPreferencesRequestSchema } from '../../schemas/index.ts';
import { KIND_OF_EVENT, mergePreferences, personActing, preferencesView, recipientsOf } from '../../functions/domain/notifications/audience.ts';
import { digestMail, immediateMail, kindLabel, noticeOf } from '../../functions/domain/notifications/messages.ts';
import { REMINDER_EVENTS } from '../../functions/domain/notifications/reminders.ts';
import { isProof } from '../../functions/domain/register/register-service.ts';
import type { StoredPerson } from '../../functions/ports/people.ts';

const person = (id: string, role: StoredPerson['role'], partnerId = 'prt_A'): StoredPerson => ({ id, partnerId, email: `${id}@example.org`, role, status: 'active', invitedAt: '2026-01-01T00:00:00Z' });

describe('who gets which notification', () => {
  const officers = [person('psn_O1', 'officer', 'prt_C'), person('psn_O2', 'officer', 'prt_C')];
  const firm = [person('psn_ADMIN', 'admin'), person('psn_MEMBER', 'member'), person('psn_ASKER', 'member')];

  it('tells every officer, and only the admins of the partner concerned', () => {
    expect(recipientsOf({ officers, partner: firm }).map((p) => p.id)).toEqual(['psn_O1', 'psn_O2', 'psn_ADMIN']);
  });

  it('tells the member who asked too, once, beside the admins', () => {
    expect(recipientsOf({ partner: firm, requesterId: 'psn_ASKER' }).map((p) => p.id)).toEqual(['psn_ADMIN', 'psn_ASKER']);
    expect(recipientsOf({ partner: firm, requesterId: 'psn_ADMIN' }).map((p) => p.id)).toEqual(['psn_ADMIN']);
  });

  it('takes the requester from a person acting, never from a key', () => {
    expect(personActing('psn_01J0000000000000000000000A')).toBe('psn_01J0000000000000000000000A');
    expect(personActing('key_01J0000000000000000000000A')).toBeUndefined();
    expect(personActing(undefined)).toBeUndefined();
  });

  it('maps every notified event to a kind with words, and every kind is reached by an event', () => {
    expect(new Set(Object.values(KIND_OF_EVENT))).toEqual(new Set(NOTIFICATION_KINDS));
    // The schedule's reminders are notified, and none of them counts as a proof in the public register.
    for (const reminder of REMINDER_EVENTS) {
      expect(KIND_OF_EVENT[reminder], reminder).toBeDefined();
      expect(isProof(reminder), reminder).toBe(false);
    }
  });
});

describe('settings', () => {
  it('defaults to French and immediate e-mails for every kind', () => {
    const view = preferencesView(undefined);
    expect(view.language).toBe('fr');
    expect(Object.values(view.kinds)).toEqual(NOTIFICATION_KINDS.map(() => 'immediate'));
  });

  it('keeps what a change leaves out', () => {
    const once = mergePreferences(undefined, { kinds: { 'duty.due': 'digest' } });
    const twice = mergePreferences(once, { language: 'en', kinds: { 'licence.expiring': 'digest' } });
    const back = mergePreferences(twice, { kinds: { 'duty.due': 'immediate' } });
    expect(preferencesView(back)).toMatchObject({ language: 'en', kinds: { 'duty.due': 'immediate', 'licence.expiring': 'digest', 'licence.waiting': 'immediate' } });
  });

  it('refuses an unknown kind, an unknown mode, an unknown language and any other field', () => {
    for (const body of [{ kinds: { 'no.such.kind': 'digest' } }, { kinds: { 'duty.due': 'weekly' } }, { language: 'de' }, { lang: 'en' }]) {
      expect(PutNotificationPreferencesRequestSchema.safeParse(body).success, JSON.stringify(body)).toBe(false);
    }
    expect(PutNotificationPreferencesRequestSchema.safeParse({ language: 'en', kinds: { 'duty.due': 'digest' } }).success).toBe(true);
  });
});

describe('what the e-mails say, in French and in English', () => {
  const settings = 'https://donnees.example.fr/';

  it('has words in both languages for every kind, different from each other', () => {
    const params = { licenceId: 'lic_1', purpose: 'etude', barterId: 'btr_1', partyA: 'A', partyB: 'B', dataset: 'dst_1', changeId: 'dsc_1', obligationId: 'releves', title: 'Relevés', due: '2026-03-05T23:00:00Z', outcome: 'approved', reason: '', dutyId: 'share-back-0', dueAt: '2026-03-05T23:00:00Z', expiresAt: '2026-04-01T00:00:00Z', subscriptionId: 'sub_1' };
    for (const kind of NOTIFICATION_KINDS) {
      const fr = immediateMail(kind, 'fr', noticeOf(kind, 'fr', params, 'https://x/#/p'), settings);
      const en = immediateMail(kind, 'en', noticeOf(kind, 'en', params, 'https://x/#/p'), settings);
      expect(fr.subject, kind).not.toBe(en.subject);
      expect(fr.text.startsWith('Bonjour,'), kind).toBe(true);
      expect(en.text.startsWith('Hello,'), kind).toBe(true);
      // Says why, which setting, and where to change it; links to the page.
      expect(fr.text).toContain(`Votre réglage « ${kindLabel(kind, 'fr')} » est : e-mail immédiat.`);
      expect(en.text).toContain(`Your setting “${kindLabel(kind, 'en')}” is: immediate e-mail.`);
      expect(fr.text).toContain(`ouvrez « Mes notifications » dans la console : ${settings}`);
      expect(en.text).toContain(`open “My notifications” in the console: ${settings}`);
      expect(fr.text).toContain(' : https://x/#/p');
      expect(en.text).toContain(': https://x/#/p');
      expect(`${fr.text}${en.text}`).not.toContain('undefined');
    }
  });

  it('says which answer a licence request got, and why when a reason was given', () => {
    const rejected = immediateMail('licence.decided', 'fr', noticeOf('licence.decided', 'fr', { licenceId: 'lic_1', outcome: 'rejected', reason: 'finalité trop large' }, 'https://x/#/licences/lic_1'), settings);
    expect(rejected.subject).toBe('Votre demande de licence est refusée');
    expect(rejected.text).toContain('Motif : finalité trop large');
    const approved = immediateMail('licence.decided', 'en', noticeOf('licence.decided', 'en', { licenceId: 'lic_1', outcome: 'approved', reason: '' }, 'https://x/#/licences/lic_1'), settings);
    expect(approved.subject).toBe('Your licence request is approved');
    expect(approved.text).toContain('it now waits for your signature');
    expect(approved.text).not.toContain('Reason');
  });

  it('gathers a digest with every subject and link, counting them, in the chosen language', () => {
    const items = [
      { kind: 'duty.due' as const, subject: 'A duty of your licence is coming due', link: 'https://x/#/licences/lic_1' },
      { kind: 'licence.expiring' as const, subject: 'Your licence expires soon', link: 'https://x/#/licences/lic_2' },
    ];
    const en = digestMail('en', items, settings);
    expect(en.subject).toBe('Comptoir: your daily digest (2 notifications)');
    expect(en.text).toContain('- A duty of your licence is coming due\n  https://x/#/licences/lic_1\n- Your licence expires soon\n  https://x/#/licences/lic_2');
    expect(en.text).toContain('you chose the daily digest for: “Duties due soon”, “Licences expiring”.');
    const fr = digestMail('fr', items.slice(0, 1), settings);
    expect(fr.subject).toBe('Comptoir : votre résumé du jour (1 notification)');
    expect(fr.text).toContain('vous avez choisi le résumé quotidien pour : « Obligations à échéance proche ».');
  });
});
