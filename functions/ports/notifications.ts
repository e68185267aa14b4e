import type { DeliveryMode, MailLanguage, NotificationKind } from '../../schemas/index.ts';
import type { PendingAuditEvent } from '../domain/audit/audit-trail.ts';

/** What a person chose; whatever is left out takes the default (French, immediate). */
export interface StoredPreferences {
  readonly language?: MailLanguage;
  readonly kinds?: Partial<Record<NotificationKind, DeliveryMode>>;
}

/** Each person's e-mail settings. */
export interface NotificationPreferenceStore {
  getPreferences(personId: string): Promise<StoredPreferences | undefined>;
  putPreferences(personId: string, preferences: StoredPreferences): Promise<void>;
}

/** One notification waiting for a person's daily digest, already in their language. */
export interface DigestEntry {
  readonly personId: string;
  /** The event's message id for this person: the digest records it as sent, so it never goes out twice. */
  readonly messageId: string;
  readonly kind: NotificationKind;
  readonly subject: string;
  /** The console page the notification links to. */
  readonly link: string;
  readonly at: string;
}

/** Notifications held for the daily digests. */
export interface DigestQueue {
  /** Idempotent: the same message id held twice is one entry. */
  hold(entry: DigestEntry): Promise<void>;
  /** Every entry held, for every person. */
  held(): Promise<DigestEntry[]>;
  release(entry: Pick<DigestEntry, 'personId' | 'messageId'>): Promise<void>;
}

/** Reminders the schedule raised: each is one outbox event, written once whatever the number of runs. */
export interface ReminderMarks {
  /** Writes the marker and the event together; false when the marker was there (reminded already). */
  remind(key: string, event: PendingAuditEvent): Promise<boolean>;
}
