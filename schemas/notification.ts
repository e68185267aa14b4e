import * as z from 'zod';

/** What a person can be told by e-mail; each has its own setting (an invitation is always sent at once). */
export const NOTIFICATION_KINDS = [
  'licence.waiting',
  'barter.waiting',
  'dataset.change.waiting',
  'delivery.late',
  'delivery.due',
  'licence.decided',
  'duty.due',
  'duty.overdue',
  'licence.expiring',
  'subscription.failing',
] as const;
export const NotificationKindSchema = z.enum(NOTIFICATION_KINDS);
export type NotificationKind = z.infer<typeof NotificationKindSchema>;

/** `immediate`: one e-mail per event; `digest`: gathered into one e-mail a day. */
export const DeliveryModeSchema = z.enum(['immediate', 'digest']);
export type DeliveryMode = z.infer<typeof DeliveryModeSchema>;

export const MailLanguageSchema = z.enum(['fr', 'en']);
export type MailLanguage = z.infer<typeof MailLanguageSchema>;

/** Every kind with its mode, each a named property (the document lists them). */
const KindModesSchema = z.object(Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, DeliveryModeSchema])) as Record<NotificationKind, typeof DeliveryModeSchema>);

/** Answer of `GET` and `PUT /v1/me/notifications`: every kind's mode, and the e-mails' language. */
export const NotificationPreferencesSchema = z
  .object({
    language: MailLanguageSchema.meta({ description: 'The language of every e-mail (default fr)' }),
    kinds: KindModesSchema.meta({ description: 'Per kind: immediate (default) or a daily digest' }),
  })
  .meta({ id: 'NotificationPreferences' });
export type NotificationPreferences = z.infer<typeof NotificationPreferencesSchema>;

/** Body of `PUT /v1/me/notifications`: what changes; kinds left out keep their mode. */
export const PutNotificationPreferencesRequestSchema = z
  .object({
    language: MailLanguageSchema.optional(),
    kinds: KindModesSchema.partial().strict().optional().meta({ description: 'The kinds to change; an unknown kind is refused' }),
  })
  .strict()
  .meta({ id: 'PutNotificationPreferencesRequest' });
export type PutNotificationPreferencesRequest = z.infer<typeof PutNotificationPreferencesRequestSchema>;
