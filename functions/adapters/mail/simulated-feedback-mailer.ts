import type { Mailer, MailMessage } from '../../ports/mailer.ts';

/** SES's mailbox simulator: mail to these addresses bounces or draws a complaint, in the cloud as here. */
export const SIMULATOR_DOMAIN = 'simulator.amazonses.com';

/** `bounce@…` and `complaint@…` (with any `+label`) of the simulator; undefined for every other address. */
function simulatedOutcome(address: string): 'Bounce' | 'Complaint' | undefined {
  const match = /^(bounce|complaint)(\+[^@]*)?@(.+)$/i.exec(address);
  if (!match || match[3]!.toLowerCase() !== SIMULATOR_DOMAIN) return undefined;
  return match[1]!.toLowerCase() === 'bounce' ? 'Bounce' : 'Complaint';
}

/**
 * The local stand-in for SES's feedback: sends through the inner mailer, then, for an address of
 * the mailbox simulator, hands the SES event SES would publish to `deliver` (the bounces handler's own entry).
 */
export class SimulatedFeedbackMailer implements Mailer {
  constructor(
    private readonly inner: Mailer,
    private readonly deliver: (snsMessage: string) => Promise<unknown>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async send(message: MailMessage): Promise<void> {
    await this.inner.send(message);
    const outcome = simulatedOutcome(message.to);
    if (!outcome) return;
    const timestamp = this.now().toISOString();
    const recipients = [{ emailAddress: message.to }];
    const feedbackId = `local-${message.messageId}`;
    await this.deliver(
      JSON.stringify({
        eventType: outcome,
        mail: { timestamp, messageId: message.messageId, destination: [message.to] },
        ...(outcome === 'Bounce'
          ? { bounce: { bounceType: 'Permanent', bounceSubType: 'General', bouncedRecipients: recipients, timestamp, feedbackId } }
          : { complaint: { complainedRecipients: recipients, timestamp, feedbackId } }),
      }),
    );
  }
}
