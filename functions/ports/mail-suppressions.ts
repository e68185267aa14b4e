/** Why an address receives nothing more: it bounced for good, or its owner marked a message as spam. */
export type SuppressionReason = 'bounce' | 'complaint';

/** An address that stopped receiving, and the provider's feedback that stopped it. */
export interface SuppressedAddress {
  readonly address: string;
  readonly reason: SuppressionReason;
  readonly at: string;
  readonly feedbackId?: string;
}

/** The addresses no e-mail goes to any more (SES bounces and complaints; locally, simulated ones). */
export interface MailSuppressions {
  isSuppressed(address: string): Promise<boolean>;
  /** Idempotent: a redelivered notification writes the same item again. */
  suppress(entry: SuppressedAddress): Promise<void>;
}
