import { DynamoMailSuppressions } from '../adapters/dynamo/mail-suppression-store.ts';
import { parseSesEvent } from '../adapters/mail/ses-events.ts';
import { MailFeedbackService } from '../domain/notifications/mail-feedback.ts';
import { clock } from './core.ts';
import { documentClient, tableName } from './table.ts';

/** The addresses that stopped receiving (bounced or complained). */
export const mailSuppressions = new DynamoMailSuppressions(documentClient, tableName);

const feedback = new MailFeedbackService({ suppressions: mailSuppressions, clock });

/** One SES event as SNS delivers it (its `Message`): the bounces function's entry, which the local simulator feeds too. */
export async function receiveSesNotification(message: string): Promise<readonly string[]> {
  const decoded = parseSesEvent(message);
  return decoded ? feedback.record(decoded) : [];
}
