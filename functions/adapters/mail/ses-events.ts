// zod/mini keeps the bounces function's bundle small.
import * as z from 'zod/mini';
import type { MailFeedback } from '../../domain/notifications/mail-feedback.ts';

const Recipients = z.array(z.object({ emailAddress: z.string() }));

/** The parts of an SES event (configuration-set event publishing, through SNS) that matter here. */
const SesEventSchema = z.object({
  eventType: z.string(),
  bounce: z.optional(z.object({ bounceType: z.string(), bouncedRecipients: Recipients, feedbackId: z.optional(z.string()) })),
  complaint: z.optional(z.object({ complainedRecipients: Recipients, feedbackId: z.optional(z.string()) })),
});

/**
 * Decodes the `Message` of an SNS notification from SES: a bounce or a complaint, or undefined for
 * any other event type. A bounce or complaint without its recipients is an error (SES always names them).
 */
export function parseSesEvent(message: string): MailFeedback | undefined {
  const event = SesEventSchema.parse(JSON.parse(message));
  if (event.eventType === 'Bounce') {
    if (!event.bounce) throw new Error('an SES Bounce event without its bounce');
    // Only Permanent bounces suppress; Transient (full mailbox) and Undetermined may clear.
    return { kind: 'bounce', permanent: event.bounce.bounceType === 'Permanent', recipients: event.bounce.bouncedRecipients.map((r) => r.emailAddress), ...(event.bounce.feedbackId ? { feedbackId: event.bounce.feedbackId } : {}) };
  }
  if (event.eventType === 'Complaint') {
    if (!event.complaint) throw new Error('an SES Complaint event without its complaint');
    return { kind: 'complaint', recipients: event.complaint.complainedRecipients.map((r) => r.emailAddress), ...(event.complaint.feedbackId ? { feedbackId: event.complaint.feedbackId } : {}) };
  }
  return undefined;
}
