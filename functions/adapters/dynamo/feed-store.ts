import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PendingAuditEvent } from '../../domain/audit/audit-trail.ts';
import type { Delivery, DeliveryAttempt } from '../../../schemas/index.ts';
import type { AccessSave, AttemptRecord, Creation, DeliveryClaim, DeliveryStore, PreparedAccess, StoredDelivery, StoredSubscription, SubscriptionStore } from '../../ports/feeds.ts';
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
/** TransactWriteItems takes at most 100 items. */
const MAX_TRANSACTION_ITEMS = 100;
/** Rounds in a row in which every item left conflicted, before the batch is given up as an outage. */
const MAX_TRANSACTION_ROUNDS = 5;

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

  pagesByDataset(datasetId: string): AsyncIterable<StoredSubscription[]> {
    return this.pages('gsi2', 'gsi2pk', datasetSubs(datasetId));
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
    try {
      await this.db.send(new PutCommand(this.creation(d, claim)));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw dependencyFailure('PutItem', error);
    }
  }

  async createDeliveries(items: readonly Creation[]): Promise<boolean[]> {
    return this.eachConditional(items.map(({ delivery, claim }) => ({ Put: this.creation(delivery, claim) })));
  }

  private creation(d: StoredDelivery, claim: DeliveryClaim) {
    const item = { ...deliveryKey(d.subscriptionId, d.eventId), ...d, claimedUntil: claim.until, claimToken: claim.token, ...(d.nextAttemptAt ? { gsi2pk: DUE, gsi2sk: `${d.nextAttemptAt}#${d.subscriptionId}#${d.eventId}` } : {}) };
    return { TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' };
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
      await this.db.send(new UpdateCommand(this.accessUpdate({ subscriptionId, eventId, claimToken, prepared })));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw dependencyFailure('UpdateItem', error);
    }
  }

  async saveAccesses(saves: readonly AccessSave[]): Promise<boolean[]> {
    return this.eachConditional(saves.map((a) => ({ Update: this.accessUpdate(a) })));
  }

  private accessUpdate({ subscriptionId, eventId, claimToken, prepared }: AccessSave) {
    return {
      TableName: this.tableName,
      Key: deliveryKey(subscriptionId, eventId),
      UpdateExpression: prepared.access ? 'SET #access = :value' : 'SET reasons = :value',
      ConditionExpression: 'claimToken = :token AND attribute_not_exists(#access) AND attribute_not_exists(reasons)',
      ExpressionAttributeNames: { '#access': 'access' },
      ExpressionAttributeValues: { ':token': claimToken, ':value': prepared.access ?? prepared.reasons ?? [] },
    };
  }

  async recordAttempt(subscriptionId: string, eventId: string, claimToken: string, attempt: DeliveryAttempt | undefined, status: Delivery['status'], nextAttemptAt?: string): Promise<boolean> {
    try {
      await this.db.send(new UpdateCommand(this.attemptUpdate({ subscriptionId, eventId, claimToken, ...(attempt ? { attempt } : {}), status, ...(nextAttemptAt ? { nextAttemptAt } : {}) })));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw dependencyFailure('UpdateItem', error);
    }
  }

  async recordAttempts(records: readonly AttemptRecord[]): Promise<boolean[]> {
    return this.eachConditional(records.map((r) => ({ Update: this.attemptUpdate(r) })));
  }

  private attemptUpdate({ subscriptionId, eventId, claimToken, attempt, status, nextAttemptAt }: AttemptRecord) {
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
    return {
      TableName: this.tableName,
      Key: deliveryKey(subscriptionId, eventId),
      UpdateExpression: `SET ${sets.join(', ')} REMOVE ${removes.join(', ')}`,
      // A worker whose claim lapsed must not overwrite what the next one recorded.
      ConditionExpression: 'claimToken = :token AND #status = :pending',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: values,
    };
  }

  /**
   * Writes independent conditional items in as few transactions as possible and answers, per item, whether its
   * condition held. A transaction is all or nothing, so the items it cancelled for another item's failed
   * condition, or for a conflict with a concurrent writer, are written again without those that failed.
   */
  private async eachConditional(items: readonly Record<string, unknown>[]): Promise<boolean[]> {
    const held = items.map(() => true);
    let left = items.map((_, i) => i);
    for (let stalled = 0; left.length > 0; ) {
      const chunks = Array.from({ length: Math.ceil(left.length / MAX_TRANSACTION_ITEMS) }, (_, c) => left.slice(c * MAX_TRANSACTION_ITEMS, (c + 1) * MAX_TRANSACTION_ITEMS));
      const again = (await Promise.all(chunks.map((chunk) => this.writeOrSort(chunk.map((i) => items[i]!))))).flatMap((verdicts, c) =>
        chunks[c]!.filter((i, k) => {
          if (verdicts[k] === 'failed') held[i] = false;
          return verdicts[k] === 'again';
        }),
      );
      // A round that settles no item is a conflict with another writer: back off, and give up after a few.
      stalled = again.length > 0 && again.length === left.length ? stalled + 1 : 0;
      if (stalled >= MAX_TRANSACTION_ROUNDS) throw dependencyFailure('TransactWriteItems', new Error(`${again.length} items still conflicting after ${stalled} transactions`));
      if (stalled > 0) await new Promise((r) => setTimeout(r, 10 * 2 ** stalled * Math.random()));
      left = again;
    }
    return held;
  }

  /** One transaction: every item written, or per item whether its condition failed or it must be written again. */
  private async writeOrSort(items: Record<string, unknown>[]): Promise<('written' | 'failed' | 'again')[]> {
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items as never }));
      return items.map(() => 'written');
    } catch (error) {
      const codes = cancellationCodes(error);
      if (!codes) throw dependencyFailure('TransactWriteItems', error);
      return items.map((_, k) => (codes[k] === 'ConditionalCheckFailed' ? 'failed' : 'again'));
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
    for await (const page of this.pages(index, key, value)) items.push(...page);
    return items;
  }

  private async *pages(index: string, key: string, value: string): AsyncGenerator<StoredSubscription[]> {
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
      yield (out.Items ?? []).map((i) => strip<StoredSubscription>(i));
      start = out.LastEvaluatedKey;
    } while (start);
  }

  private run<T>(operation: string, call: () => Promise<T>): Promise<T> {
    return dynamoCall(operation, call);
  }
}
