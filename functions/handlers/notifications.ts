import type { EventBridgeEvent } from 'aws-lambda';
// zod/mini keeps this bundle small.
import * as z from 'zod/mini';
import { logger } from '../http/logger.ts';
import { notificationService } from '../wiring/notifications.ts';

const DetailSchema = z.object({ id: z.string(), subject: z.string(), data: z.record(z.string(), z.unknown()), parties: z.optional(z.array(z.string())) });

/** EventBridge target of the events in `NOTIFIED_EVENTS`: one e-mail per person concerned. */
export async function handler(event: EventBridgeEvent<string, unknown>): Promise<void> {
  const detail = DetailSchema.parse(event.detail);
  if (!notificationService) return void logger.warn('e-mail is off (no MailSender): not notified', { event: event['detail-type'], subject: detail.subject });
  const on = {
    'person.invited': (d: typeof detail) => notificationService!.onPersonInvited(d),
    'licence.requested': (d: typeof detail) => notificationService!.onLicenceRequested(d),
    'contract.delivery.late': (d: typeof detail) => notificationService!.onDeliveryLate(d),
    'licence.duty.overdue': (d: typeof detail) => notificationService!.onDutyOverdue(d),
  }[event['detail-type']];
  if (!on) return void logger.warn('not an event people are told about', { event: event['detail-type'] });
  const sent = await on(detail);
  if (sent) logger.info('notified', { event: event['detail-type'], subject: detail.subject, sent });
}
