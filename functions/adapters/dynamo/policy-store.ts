import { GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PendingAuditEvent } from '../../domain/audit/audit-trail.ts';
import { StateConflictError } from '../../domain/errors.ts';
import type { PolicyStore, StoredPolicy, StoredZone } from '../../ports/licensing.ts';
import { cancellationCodes, dependencyFailure } from './errors.ts';
import { outboxPut } from './outbox.ts';

/** The key of the policy in force. */
export const CURRENT = { pk: 'POLICY', sk: 'CURRENT' };
const zoneKey = (name: string) => ({ pk: `ZONE#${name}`, sk: 'ZONE' });
const ZONES = 'ZONES';

/** The policy in force from its item; version 0 without rules when none was ever written. */
export function policyOfItem(item: Record<string, unknown> | undefined): StoredPolicy {
  if (!item) return { version: 0, rules: [] };
  const { version, rules, registerOptOuts, updatedAt, updatedBy } = item as unknown as StoredPolicy;
  return { version, rules, ...(registerOptOuts?.length ? { registerOptOuts } : {}), ...(updatedAt ? { updatedAt } : {}), ...(updatedBy ? { updatedBy } : {}) };
}

/** The territory policy (current item plus one history item per version) and the zone layers. */
export class DynamoPolicyStore implements PolicyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getPolicy(): Promise<StoredPolicy> {
    const out = await this.run(() => this.db.send(new GetCommand({ TableName: this.tableName, Key: CURRENT, ConsistentRead: true })));
    return policyOfItem(out.Item);
  }

  async putPolicy(policy: StoredPolicy, previousVersion: number, event: PendingAuditEvent): Promise<void> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...CURRENT, ...policy },
                ConditionExpression: previousVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :previous',
                ...(previousVersion === 0 ? {} : { ExpressionAttributeValues: { ':previous': previousVersion } }),
              },
            },
            { Put: { TableName: this.tableName, Item: { pk: 'POLICY', sk: `V#${String(policy.version).padStart(8, '0')}`, ...policy } } },
            outboxPut(this.tableName, event),
          ],
        }),
      );
    } catch (error) {
      if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') throw new StateConflictError('the policy changed meanwhile; read it again', 'policy_changed', { cause: error });
      throw dependencyFailure('TransactWriteItems', error);
    }
  }

  async putZone(zone: StoredZone, event: PendingAuditEvent): Promise<void> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.tableName, Item: { ...zoneKey(zone.name), ...zone, layer: JSON.stringify(zone.layer), gsi1pk: ZONES, gsi1sk: zone.name } } },
            outboxPut(this.tableName, event),
          ],
        }),
      );
    } catch (error) {
      throw dependencyFailure('TransactWriteItems', error);
    }
  }

  async getZone(name: string): Promise<StoredZone | undefined> {
    // Consistent: an access right after an officer's update must see the new zones.
    const out = await this.run(() => this.db.send(new GetCommand({ TableName: this.tableName, Key: zoneKey(name), ConsistentRead: true })));
    if (!out.Item) return undefined;
    const { features, sha256, updatedAt, layer } = out.Item;
    return { name, features, sha256, updatedAt, layer: JSON.parse(String(layer)) } as StoredZone;
  }

  async listZones(): Promise<Omit<StoredZone, 'layer'>[]> {
    const out = await this.run(() =>
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :p',
          ExpressionAttributeValues: { ':p': ZONES },
          ProjectionExpression: '#n, features, sha256, updatedAt',
          ExpressionAttributeNames: { '#n': 'name' },
        }),
      ),
    );
    return (out.Items ?? []) as Omit<StoredZone, 'layer'>[];
  }

  private async run<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw dependencyFailure('policy', error);
    }
  }
}
