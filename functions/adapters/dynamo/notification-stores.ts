import { DeleteCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PendingAuditEvent } from '../../domain/audit/audit-trail.ts';
import type { DigestEntry, DigestQueue, NotificationPreferenceStore, ReminderMarks, StoredPreferences } from '../../ports/notifications.ts';
import { cancellationCodes, dependencyFailure, dynamoCall } from './errors.ts';
import { outboxPut } from './outbox.ts';

const preferencesKey = (personId: string) => ({ pk: `PERSON#${personId}`, sk: 'NOTIFY' });
// One partition for every held notification: a few a day per person, read whole once a day.
const DIGESTS = 'DIGEST';
const digestKey = (personId: string, messageId: string) => ({ pk: DIGESTS, sk: `${personId}#${messageId}` });
const reminderKey = (key: string) => ({ pk: `REMIND#${key}`, sk: 'REMIND' });
/** Long past the reminded deadline, so a marker outlives every run that could raise it again. */
const REMINDER_KEEP_DAYS = 400;

/** Each person's e-mail settings, beside the person's item. */
export class DynamoNotificationPreferenceStore implements NotificationPreferenceStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getPreferences(personId: string): Promise<StoredPreferences | undefined> {
    const out = await dynamoCall('GetItem', () => this.db.send(new GetCommand({ TableName: this.tableName, Key: preferencesKey(personId), ConsistentRead: true })));
    if (!out.Item) return undefined;
    return { ...(out.Item.language ? { language: out.Item.language } : {}), ...(out.Item.kinds ? { kinds: out.Item.kinds } : {}) };
  }

  async putPreferences(personId: string, preferences: StoredPreferences): Promise<void> {
    await dynamoCall('PutItem', () => this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...preferencesKey(personId), ...preferences } })));
  }
}

/** Notifications held for the daily digests, one item each. */
export class DynamoDigestQueue implements DigestQueue {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async hold(entry: DigestEntry): Promise<void> {
    await dynamoCall('PutItem', () => this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...digestKey(entry.personId, entry.messageId), ...entry } })));
  }

  async held(): Promise<DigestEntry[]> {
    const entries: DigestEntry[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await dynamoCall('Query', () =>
        this.db.send(new QueryCommand({ TableName: this.tableName, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': DIGESTS }, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) })),
      );
      for (const { pk: _pk, sk: _sk, ...entry } of out.Items ?? []) entries.push(entry as unknown as DigestEntry);
      start = out.LastEvaluatedKey;
    } while (start);
    return entries;
  }

  async release(entry: Pick<DigestEntry, 'personId' | 'messageId'>): Promise<void> {
    await dynamoCall('DeleteItem', () => this.db.send(new DeleteCommand({ TableName: this.tableName, Key: digestKey(entry.personId, entry.messageId) })));
  }
}

/** A conditional marker and its event in one transaction: a second run, or two at once, raise the reminder once. */
export class DynamoReminderMarks implements ReminderMarks {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async remind(key: string, event: PendingAuditEvent): Promise<boolean> {
    const ttl = Math.ceil(Date.parse(event.body.at) / 1000) + REMINDER_KEEP_DAYS * 24 * 3600;
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.tableName, Item: { ...reminderKey(key), remindedAt: event.body.at, ttl }, ConditionExpression: 'attribute_not_exists(pk)' } },
            outboxPut(this.tableName, event),
          ],
        }),
      );
      return true;
    } catch (error) {
      if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return false;
      throw dependencyFailure('TransactWriteItems', error);
    }
  }
}
