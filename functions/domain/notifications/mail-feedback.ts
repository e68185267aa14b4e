import type { MailSuppressions, SuppressionReason } from '../../ports/mail-suppressions.ts';
import type { Clock } from '../../ports/time.ts';

/** What the mail provider says happened to a message after it took it (SES event publishing, decoded). */
export type MailFeedback =
  | { readonly kind: 'bounce'; readonly permanent: boolean; readonly recipients: readonly string[]; readonly feedbackId?: string }
  | { readonly kind: 'complaint'; readonly recipients: readonly string[]; readonly feedbackId?: string };

/** Turns bounces and complaints into suppressed addresses; a transient bounce (a full mailbox) suppresses nothing. */
export class MailFeedbackService {
  constructor(private readonly deps: { suppressions: MailSuppressions; clock: Clock }) {}

  /** The addresses suppressed by this feedback (none for a transient bounce). */
  async record(feedback: MailFeedback): Promise<readonly string[]> {
    if (feedback.kind === 'bounce' && !feedback.permanent) return [];
    const reason: SuppressionReason = feedback.kind;
    const at = this.deps.clock.now().toISOString();
    const addresses = [...new Set(feedback.recipients.map((r) => r.toLowerCase()))];
    await Promise.all(addresses.map((address) => this.deps.suppressions.suppress({ address, reason, at, ...(feedback.feedbackId ? { feedbackId: feedback.feedbackId } : {}) })));
    return addresses;
  }
}
