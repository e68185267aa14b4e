import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { MailSuppressions, SuppressedAddress } from '../../ports/mail-suppressions.ts';
import { dynamoCall } from './errors.ts';

/** The partition prefix of suppressed addresses: the bounces function may write under it only. */
export const SUPPRESSION_PREFIX = 'MAILSUPPRESS#';
const suppressionKey = (address: string) => ({ pk: `${SUPPRESSION_PREFIX}${address.toLowerCase()}`, sk: 'MAILSUPPRESS' });

/** Suppressed addresses, one item each in the single table, kept until someone deletes it. */
export class DynamoMailSuppressions implements MailSuppressions {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async isSuppressed(address: string): Promise<boolean> {
    const out = await dynamoCall('GetItem', () => this.db.send(new GetCommand({ TableName: this.tableName, Key: suppressionKey(address), ConsistentRead: true })));
    return out.Item !== undefined;
  }

  async suppress(entry: SuppressedAddress): Promise<void> {
    await dynamoCall('PutItem', () => this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...suppressionKey(entry.address), ...entry } })));
  }
}
