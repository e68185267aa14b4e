import { NOTIFICATION_KINDS, type DeliveryMode, type MailLanguage, type NotificationKind, type NotificationPreferences } from '../../../schemas/index.ts';
import type { StoredPerson } from '../../ports/people.ts';
import type { StoredPreferences } from '../../ports/notifications.ts';

/** Which setting each notified outbox event falls under (an invitation has none: it is always sent at once). */
export const KIND_OF_EVENT: Readonly<Record<string, NotificationKind>> = {
  'licence.requested': 'licence.waiting',
  'licence.approval_required': 'licence.waiting',
  'barter.proposed': 'barter.waiting',
  'barter.approval_required': 'barter.waiting',
  'dataset.change.requested': 'dataset.change.waiting',
  'contract.delivery.late': 'delivery.late',
  'reminder.delivery.due': 'delivery.due',
  'licence.approved': 'licence.decided',
  'licence.rejected': 'licence.decided',
  'licence.declined': 'licence.decided',
  'reminder.duty.due': 'duty.due',
  'licence.duty.overdue': 'duty.overdue',
  'reminder.licence.expiring': 'licence.expiring',
  'subscription.failing': 'subscription.failing',
};

/** The people a notification goes to, from the people of the partners it concerns. */
export interface Audience {
  /** The collectivity's people: all officers, all told. */
  readonly officers?: readonly StoredPerson[];
  /** The people of the partner concerned (operator, licensee, subscriber): its admins are told. */
  readonly partner?: readonly StoredPerson[];
  /** The person who asked (a licence requested in a session): told whatever their role. */
  readonly requesterId?: string;
}

/** Every officer, the partner's admins and the requester, each once. */
export function recipientsOf(a: Audience): StoredPerson[] {
  const chosen = [...(a.officers ?? []), ...(a.partner ?? []).filter((p) => p.role === 'admin' || p.id === a.requesterId)];
  return [...new Map(chosen.map((p) => [p.id, p])).values()];
}

/** The id of the person who acted, when a person did (sessions act as `psn_…`; keys as `key_…`). */
export const personActing = (by: string | undefined): string | undefined => (by?.startsWith('psn_') ? by : undefined);

/** A person's settings with the defaults filled in: French, every kind immediate. */
export function preferencesView(stored: StoredPreferences | undefined): NotificationPreferences {
  return {
    language: stored?.language ?? 'fr',
    kinds: Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, stored?.kinds?.[k] ?? 'immediate'])) as Record<NotificationKind, DeliveryMode>,
  };
}

/** The settings after a change: what the change names replaces what was there. */
export function mergePreferences(stored: StoredPreferences | undefined, change: { language?: MailLanguage; kinds?: Partial<Record<NotificationKind, DeliveryMode>> }): StoredPreferences {
  const language = change.language ?? stored?.language;
  return { ...(language ? { language } : {}), kinds: { ...stored?.kinds, ...change.kinds } };
}
