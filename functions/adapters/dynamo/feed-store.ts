import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PendingAuditEvent } from '../../domain/audit/audit-trail.ts';
import type { Delivery, DeliveryAttempt } from '../../../schemas/index.ts';
import type { DeliveryClaim, DeliveryStore, PreparedAccess, StoredDelivery, StoredSubscription, SubscriptionStore } from '../../ports/feeds.ts';
import { cancellationCodes, dependencyFailure, dynamoCall } from './errors.ts';
import { outboxPut } from './outbox.ts';

const subKey = (id: string) => ({ pk: `SUB#${id}`, sk: 'SUB' });
const deliveryKey = (subscriptionId: string, eventId: string) => ({ pk: `SUB#${subscriptionId}`, sk: `DELIVERY#${eventId}` });
const partnerSubs = (partnerId: string) => `PARTNER#${partnerId}#SUBS`;
const datasetSubs = (datasetId: string) => `DATASET#${datasetId}#SUBS`;
/** Pending deliveries by next attempt (gsi2) and dead letters by time (gsi1). */
const DUE = 'FEEDDUE';
const DEAD = 'FEEDDEAD';
const INTERNAL = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'claimedUntil', 'claimToken']);
const strip = <T>(item: Record<string, unknown>): T => Object.fromEntries(Object.entries(item).filter(([k]) => !INTERNAL.has(k))) as T;
const isConditionFailure = (error: unknown) => (error as Error).name === 'ConditionalCheckFailedException';

/** Subscriptions (pk SUB#id, listed per partner in gsi1 and per dataset in gsi2) and their deliveries beside them. */
export class DynamoFeedStore implements SubscriptionStore, DeliveryStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async putSubscription(s: StoredSubscription, event: PendingAuditEvent): Promise<void> {
    const item = { ...subKey(s.id), ...s, gsi1pk: partnerSubs(s.partnerId), gsi1sk: `${s.createdAt}#${s.id}`, gsi2pk: datasetSubs(s.datasetId), gsi2sk: s.id };
    await this.transact([{ Put: { TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } }], event);
  }

  async getSubscription(id: string): Promise<StoredSubscription | undefined> {
    const out = await this.run('GetItem', () => this.db.send(new GetCommand({ TableName: this.tableName, Key: subKey(id), ConsistentRead: true })));
    return out.Item ? strip<StoredSubscription>(out.Item) : undefined;
  }

  listByPartner(partnerId: string): Promise<StoredSubscription[]> {
    return this.queryAll('gsi1', 'gsi1pk', partnerSubs(partnerId));
  }

  listByDataset(datasetId: string): Promise<StoredSubscription[]> {
    return this.queryAll('gsi2', 'gsi2pk', datasetSubs(datasetId));
  }

  async updateSubscription(id: string, set: Partial<Omit<StoredSubscription, 'id'>>, event: PendingAuditEvent, from?: readonly StoredSubscription['status'][]): Promise<boolean> {
    const entries = Object.entries(set);
    const guard = from?.length ? ` AND #status IN (${from.map((_, i) => `:from${i}`).join(', ')})` : '';
    return this.transact(
      [
        {
          Update: {
            TableName: this.tableName,
            Key: subKey(id),
            UpdateExpression: `SET ${entries.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
            ConditionExpression: `attribute_exists(pk)${guard}`,
            ExpressionAttributeNames: { ...Object.fromEntries(entries.map(([k], i) => [`#f${i}`, k])), ...(guard ? { '#status': 'status' } : {}) },
            ExpressionAttributeValues: { ...Object.fromEntries(entries.map(([, v], i) => [`:v${i}`, v])), ...Object.fromEntries((from ?? []).map((f, i) => [`:from${i}`, f])) },
          },
        },
      ],
      event,
    );
  }

  async deleteSubscription(id: string, event: PendingAuditEvent): Promise<boolean> {
    return this.transact([{ Delete: { TableName: this.tableName, Key: subKey(id), ConditionExpression: 'attribute_exists(pk)' } }], event);
  }

  /** The change and its outbox event in one transaction; false when the change's condition failed. */
  private async transact(items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>, event: PendingAuditEvent): Promise<boolean> {
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: [...items, outboxPut(this.tableName, event)] }));
      return true;
    } catch (error) {
      if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return false;
      throw dependencyFailure('TransactWriteItems', error);
    }
  }

  async createDelivery(d: StoredDelivery, claim: DeliveryClaim): Promise<boolean> {
    const item = { ...deliveryKey(d.subscriptionId, d.eventId), ...d, claimedUntil: claim.until, claimToken: claim.token, ...(d.nextAttemptAt ? { gsi2pk: DUE, gsi2sk: `${d.nextAttemptAt}#${d.subscriptionId}#${d.eventId}` } : {}) };
    try {
      await this.db.send(new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw dependencyFailure('PutItem', error);
    }
  }

  async getDelivery(subscriptionId: string, eventId: string): Promise<StoredDelivery | undefined> {
    const out = await this.run('GetItem', () => this.db.send(new GetCommand({ TableName: this.tableName, Key: deliveryKey(subscriptionId, eventId), ConsistentRead: true })));
    return out.Item ? strip<StoredDelivery>(out.Item) : undefined;
  }

  async claim(subscriptionId: string, eventId: string, now: string, attemptsSoFar: number, claim: DeliveryClaim): Promise<StoredDelivery | undefined> {
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: deliveryKey(subscriptionId, eventId),
          UpdateExpression: 'SET claimedUntil = :until, claimToken = :token',
          // Due, untouched since it was read, and not held: two workers never send the same attempt.
          ConditionExpression: '#status = :pending AND nextAttemptAt <= :now AND size(attempts) = :n AND (attribute_not_exists(claimedUntil) OR claimedUntil < :now)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':until': claim.until, ':token': claim.token, ':now': now, ':pending': 'pending', ':n': attemptsSoFar },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return out.Attributes ? strip<StoredDelivery>(out.Attributes) : undefined;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw dependencyFailure('UpdateItem', error);
    }
  }

  async saveAccess(subscriptionId: string, eventId: string, claimToken: string, prepared: PreparedAccess): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: deliveryKey(subscriptionId, eventId),
          UpdateExpression: prepared.access ? 'SET #access = :value' : 'SET reasons = :value',
          ConditionExpression: 'claimToken = :token AND attribute_not_exists(#access) AND attribute_not_exists(reasons)',
          ExpressionAttributeNames: { '#access': 'access' },
          ExpressionAttributeValues: { ':token': claimToken, ':value': prepared.access ?? prepared.reasons ?? [] },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw dependencyFailure('UpdateItem', error);
    }
  }

  async recordAttempt(subscriptionId: string, eventId: string, claimToken: string, attempt: DeliveryAttempt | undefined, status: Delivery['status'], nextAttemptAt?: string): Promise<boolean> {
    const sets = ['#status = :status'];
    const removes = ['claimedUntil', 'claimToken'];
    const values: Record<string, unknown> = { ':status': status, ':token': claimToken, ':pending': 'pending' };
    if (attempt) {
      sets.push('attempts = list_append(attempts, :attempt)');
      values[':attempt'] = [attempt];
    }
    if (status === 'pending' && nextAttemptAt) {
      sets.push('nextAttemptAt = :next', 'gsi2pk = :due', 'gsi2sk = :dueSk');
      Object.assign(values, { ':next': nextAttemptAt, ':due': DUE, ':dueSk': `${nextAttemptAt}#${subscriptionId}#${eventId}` });
    } else {
      removes.push('nextAttemptAt', 'gsi2pk', 'gsi2sk');
    }
    if (status === 'dead') {
      // The dead-letter queue of the platform: a partition officers and operators can list and replay from.
      sets.push('gsi1pk = :dead', 'gsi1sk = :deadSk');
      Object.assign(values, { ':dead': DEAD, ':deadSk': `${attempt?.at ?? new Date(0).toISOString()}#${subscriptionId}#${eventId}` });
    }
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: deliveryKey(subscriptionId, eventId),
          UpdateExpression: `SET ${sets.join(', ')} REMOVE ${removes.join(', ')}`,
          // A worker whose claim lapsed must not overwrite what the next one recorded.
          ConditionExpression: 'claimToken = :token AND #status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw dependencyFailure('UpdateItem', error);
    }
  }

  async listDeliveries(subscriptionId: string, limit: number): Promise<StoredDelivery[]> {
    const out = await this.run('Query', () =>
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :d)',
          ExpressionAttributeValues: { ':pk': `SUB#${subscriptionId}`, ':d': 'DELIVERY#' },
          ScanIndexForward: false,
          Limit: limit,
          ConsistentRead: true,
        }),
      ),
    );
    return (out.Items ?? []).map((i) => strip<StoredDelivery>(i));
  }

  async dueBefore(now: string, limit: number): Promise<Pick<Delivery, 'subscriptionId' | 'eventId'>[]> {
    return this.indexKeys('gsi2', 'gsi2pk = :p AND gsi2sk <= :now', { ':p': DUE, ':now': `${now}#~` }, limit, true);
  }

  async deadLetters(limit: number): Promise<Pick<Delivery, 'subscriptionId' | 'eventId'>[]> {
    return this.indexKeys('gsi1', 'gsi1pk = :p', { ':p': DEAD }, limit, false);
  }

  private async indexKeys(index: string, condition: string, values: Record<string, unknown>, limit: number, forward: boolean) {
    const out = await this.run('Query', () =>
      this.db.send(new QueryCommand({ TableName: this.tableName, IndexName: index, KeyConditionExpression: condition, ExpressionAttributeValues: values, Limit: limit, ScanIndexForward: forward })),
    );
    return (out.Items ?? []).map((i) => ({ subscriptionId: String(i.subscriptionId), eventId: String(i.eventId) }));
  }

  private async queryAll(index: string, key: string, value: string): Promise<StoredSubscription[]> {
    const items: StoredSubscription[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.run('Query', () =>
        this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: index,
            KeyConditionExpression: `${key} = :v`,
            ExpressionAttributeValues: { ':v': value },
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        ),
      );
      items.push(...(out.Items ?? []).map((i) => strip<StoredSubscription>(i)));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }

  private run<T>(operation: string, call: () => Promise<T>): Promise<T> {
    return dynamoCall(operation, call);
  }
}
