import type { MailSuppressions } from '../../ports/mail-suppressions.ts';
import type { Mailer, MailMessage } from '../../ports/mailer.ts';

/** Where the decorator says that it skipped a message (the process's logger). */
export type SkipLog = (message: string, fields: Record<string, unknown>) => void;

/** A mailer that sends nothing to an address that bounced or complained, and logs each message it skips. */
export class SuppressingMailer implements Mailer {
  constructor(
    private readonly inner: Mailer,
    private readonly suppressions: Pick<MailSuppressions, 'isSuppressed'>,
    private readonly log: SkipLog,
  ) {}

  async send(message: MailMessage): Promise<void> {
    if (await this.suppressions.isSuppressed(message.to.toLowerCase())) {
      // Counted as handled: sending again would only bounce again and hurt the sender's reputation.
      // The message id names event and person; the address itself stays out of the logs.
      return this.log('not sent: the address bounced or complained before', { messageId: message.messageId });
    }
    await this.inner.send(message);
  }
}
