import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SentMail } from '../../ports/mailer.ts';
import { dynamoCall } from './errors.ts';

/** Long past the last redelivery of an event (EventBridge retries for hours, the DLQ keeps 14 days). */
const KEEP_DAYS = 30;
const sentKey = (messageId: string) => ({ pk: `MAIL#${messageId}`, sk: 'MAIL' });

/** The messages sent, one item each in the single table, deleted by TTL a month later. */
export class DynamoSentMailStore implements SentMail {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async wasSent(messageId: string): Promise<boolean> {
    const out = await dynamoCall('GetItem', () => this.db.send(new GetCommand({ TableName: this.tableName, Key: sentKey(messageId), ConsistentRead: true })));
    return out.Item !== undefined;
  }

  async recordSent(messageId: string, sentAt: Date): Promise<void> {
    const ttl = Math.ceil(sentAt.getTime() / 1000) + KEEP_DAYS * 24 * 3600;
    await dynamoCall('PutItem', () => this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...sentKey(messageId), sentAt: sentAt.toISOString(), ttl } })));
  }
}
