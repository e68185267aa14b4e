import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Duty } from '../../../schemas/index.ts';
import type { PendingAuditEvent } from '../../domain/audit/audit-trail.ts';
import type { DutyStore } from '../../ports/duties.ts';
import { cancellationCodes, dependencyFailure } from './errors.ts';
import { outboxPut } from './outbox.ts';

import { DUTY_DUE as DUE, dutyDueIndex as dueIndex, dutyKey, licenceKey } from './keys.ts';
const INTERNAL = new Set(['pk', 'sk', 'gsi2pk', 'gsi2sk']);

/** Duties beside their licence (pk LICENCE#id), open ones indexed by due date in gsi2. */
export class DynamoDutyStore implements DutyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async createDuties(duties: readonly Duty[]): Promise<void> {
    for (const d of duties) {
      try {
        await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...dutyKey(d.licenceId, d.dutyId), ...d, ...dueIndex(d) }, ConditionExpression: 'attribute_not_exists(pk)' }));
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw dependencyFailure('PutItem', error);
      }
    }
  }

  async listDuties(licenceId: string): Promise<Duty[]> {
    const out = await this.run(() =>
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :duty)',
          ExpressionAttributeValues: { ':pk': `LICENCE#${licenceId}`, ':duty': 'DUTY#' },
          ConsistentRead: true,
        }),
      ),
    );
    return (out.Items ?? []).map((i) => Object.fromEntries(Object.entries(i).filter(([k]) => !INTERNAL.has(k))) as Duty);
  }

  async getDuty(licenceId: string, dutyId: string): Promise<Duty | undefined> {
    const out = await this.run(() => this.db.send(new GetCommand({ TableName: this.tableName, Key: dutyKey(licenceId, dutyId), ConsistentRead: true })));
    return out.Item ? (Object.fromEntries(Object.entries(out.Item).filter(([k]) => !INTERNAL.has(k))) as Duty) : undefined;
  }

  async updateDuty(licenceId: string, dutyId: string, from: readonly Duty['status'][], to: Duty['status'], set: Partial<Duty>, event: PendingAuditEvent, overdueDelta = 0): Promise<boolean> {
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = { ':to': to };
    const sets = ['#status = :to'];
    Object.entries(set).forEach(([k, v], i) => {
      names[`#s${i}`] = k;
      values[`:s${i}`] = v;
      sets.push(`#s${i} = :s${i}`);
    });
    from.forEach((s, i) => (values[`:from${i}`] = s));
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: dutyKey(licenceId, dutyId),
                // Leaving `open` also leaves the due-date index.
                UpdateExpression: `SET ${sets.join(', ')} REMOVE gsi2pk, gsi2sk`,
                ConditionExpression: `#status IN (${from.map((_, i) => `:from${i}`).join(', ')})`,
                ExpressionAttributeNames: names,
                ExpressionAttributeValues: values,
              },
            },
            // The licence counts its overdue duties in the same transaction, so reactivation can require zero.
            ...(overdueDelta
              ? [{ Update: { TableName: this.tableName, Key: licenceKey(licenceId), UpdateExpression: 'ADD overdueCount :d', ExpressionAttributeValues: { ':d': overdueDelta } } }]
              : []),
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

  async dueBefore(now: string, limit: number): Promise<Pick<Duty, 'licenceId' | 'dutyId'>[]> {
    const out = await this.run(() =>
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :p AND gsi2sk <= :now',
          ExpressionAttributeValues: { ':p': DUE, ':now': `${now}#~` },
          Limit: limit,
        }),
      ),
    );
    return (out.Items ?? []).map((i) => ({ licenceId: String(i.licenceId), dutyId: String(i.dutyId) }));
  }

  async dueBetween(after: string, until: string): Promise<Pick<Duty, 'licenceId' | 'dutyId' | 'dueAt'>[]> {
    const found: Pick<Duty, 'licenceId' | 'dutyId' | 'dueAt'>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.run(() =>
        this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: 'gsi2',
            // `~` sorts after every id: a duty due exactly at `after` is left out, one due at `until` kept.
            KeyConditionExpression: 'gsi2pk = :p AND gsi2sk BETWEEN :after AND :until',
            ExpressionAttributeValues: { ':p': DUE, ':after': `${after}#~`, ':until': `${until}#~` },
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        ),
      );
      for (const i of out.Items ?? []) found.push({ licenceId: String(i.licenceId), dutyId: String(i.dutyId), dueAt: String(i.dueAt) });
      start = out.LastEvaluatedKey;
    } while (start);
    return found;
  }

  private async run<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw dependencyFailure('duties', error);
    }
  }
}
