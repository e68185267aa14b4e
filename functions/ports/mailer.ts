/** One e-mail to one person, plain text. */
export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  /** Stable for one event and one person: a redelivered event writes or sends the same message, not another. */
  readonly messageId: string;
}

/** Sends e-mails: Amazon SES in the cloud, `.eml` files in a folder on a laptop. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/** Which messages went out: a redelivered event finds its messages there and sends none of them again. */
export interface SentMail {
  wasSent(messageId: string): Promise<boolean>;
  /** Records a message once it is sent. */
  recordSent(messageId: string, sentAt: Date): Promise<void>;
}
