import type { EventBridgeEvent } from 'aws-lambda';
// zod/mini keeps this bundle small.
import * as z from 'zod/mini';
import { logger } from '../http/logger.ts';
import { notificationService } from '../wiring/notifications.ts';

const DetailSchema = z.object({ id: z.string(), subject: z.string(), data: z.record(z.string(), z.unknown()), parties: z.optional(z.array(z.string())) });

/**
 * EventBridge target of the events in `NOTIFIED_EVENTS` (one e-mail per person concerned, or held for
 * their digest), and of the daily rule that sends the digests.
 */
export async function handler(event: EventBridgeEvent<string, unknown>): Promise<void> {
  if (!notificationService) return void logger.warn('e-mail is off (no MailSender): not notified', { event: event['detail-type'] });
  if (event['detail-type'] === 'Scheduled Event') {
    const digests = await notificationService.sendDigests(new Date(event.time));
    return void logger.info('digests sent', { digests });
  }
  const detail = DetailSchema.parse(event.detail);
  const sent = await notificationService.notify(event['detail-type'], detail);
  if (sent) logger.info('notified', { event: event['detail-type'], subject: detail.subject, sent });
}
