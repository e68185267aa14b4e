import type { SNSEvent } from 'aws-lambda';
import { logger } from '../http/logger.ts';
import { receiveSesNotification } from '../wiring/mail-feedback.ts';

/** SNS subscriber of the SES configuration set's bounce and complaint events: suppresses the addresses. */
export async function handler(event: SNSEvent): Promise<void> {
  for (const record of event.Records) {
    const suppressed = await receiveSesNotification(record.Sns.Message);
    if (suppressed.length > 0) logger.info('addresses suppressed', { count: suppressed.length, snsMessageId: record.Sns.MessageId });
  }
}
