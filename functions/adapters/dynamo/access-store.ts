import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { QuotaCharge } from '../../../contracts/engine/evaluate.ts';
import type { PendingAuditEvent } from '../../domain/audit/audit-trail.ts';
import type { AccessRecord, AccessStore, VariantRecord } from '../../ports/access.ts';
import { cancellationCodes, dependencyFailure } from './errors.ts';
import { outboxPut } from './outbox.ts';

const quotaKey = (licenceId: string, clauseIndex: number, windowStart: string) => ({ pk: `LICENCE#${licenceId}`, sk: `QUOTA#${clauseIndex}#${windowStart}` });
const accessKey = (id: string) => ({ pk: `ACCESS#${id}`, sk: 'ACCESS' });
const variantKey = (key: string) => ({ pk: `VARIANT#${key}`, sk: 'VARIANT' });
/** Access records are kept 30 days (the audit chain keeps them for good). */
const ACCESS_RETENTION_SECONDS = 30 * 24 * 3600;

/** Quotas, accesses and variant leases in the single table. */
export class DynamoAccessStore implements AccessStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async grant(licenceId: string, record: AccessRecord | undefined, charges: readonly QuotaCharge[], event: PendingAuditEvent): Promise<{ granted: true } | { granted: false; exhausted: QuotaCharge[] }> {
    const ttl = record ? Math.floor(Date.parse(record.at) / 1000) + ACCESS_RETENTION_SECONDS : 0;
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            ...charges.map((c) => ({
              Update: {
                TableName: this.tableName,
                Key: quotaKey(licenceId, c.clauseIndex, c.windowStart),
                UpdateExpression: 'ADD #count :one SET windowEnd = :end',
                // The limit is checked by the write itself, so concurrent accesses can never exceed it.
                ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
                ExpressionAttributeNames: { '#count': 'count' },
                ExpressionAttributeValues: { ':one': 1, ':limit': c.limit, ':end': c.windowEnd },
              },
            })),
            ...(record ? [{ Put: { TableName: this.tableName, Item: { ...accessKey(record.accessId), ...record, ttl }, ConditionExpression: 'attribute_not_exists(pk)' } }] : []),
            outboxPut(this.tableName, event),
          ],
        }),
      );
      return { granted: true };
    } catch (error) {
      const exhausted = charges.filter((_, i) => cancellationCodes(error)?.[i] === 'ConditionalCheckFailed');
      if (exhausted.length) return { granted: false, exhausted };
      throw dependencyFailure('TransactWriteItems', error);
    }
  }

  async getAccess(accessId: string): Promise<AccessRecord | undefined> {
    const out = await this.run(() => this.db.send(new GetCommand({ TableName: this.tableName, Key: accessKey(accessId), ConsistentRead: true })));
    if (!out.Item) return undefined;
    const { pk: _pk, sk: _sk, ttl: _ttl, ...record } = out.Item;
    return record as AccessRecord;
  }

  async getVariant(key: string): Promise<VariantRecord | undefined> {
    const out = await this.run(() => this.db.send(new GetCommand({ TableName: this.tableName, Key: variantKey(key), ConsistentRead: true })));
    if (!out.Item) return undefined;
    const { pk: _pk, sk: _sk, ...record } = out.Item;
    return record as VariantRecord;
  }

  async acquireLease(key: string, now: string, leaseUntil: string): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...variantKey(key), key, status: 'building', leaseUntil },
          // One builder at a time: the S3 emulator has no conditional PUT, so the lease lives here.
          ConditionExpression: 'attribute_not_exists(pk) OR #status = :failed OR (#status = :building AND leaseUntil < :now)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':failed': 'failed', ':building': 'building', ':now': now },
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw dependencyFailure('PutItem', error);
    }
  }

  async completeVariant(key: string, result: { bytes: number; rowsIn: number; rowsOut: number; builtAt: string }): Promise<void> {
    await this.run(() =>
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: variantKey(key),
          UpdateExpression: 'SET #status = :ready, bytes = :bytes, rowsIn = :in, rowsOut = :out, builtAt = :at REMOVE leaseUntil',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':ready': 'ready', ':bytes': result.bytes, ':in': result.rowsIn, ':out': result.rowsOut, ':at': result.builtAt },
        }),
      ),
    );
  }

  async failVariant(key: string, error: string): Promise<void> {
    await this.run(() =>
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: variantKey(key),
          UpdateExpression: 'SET #status = :failed, #error = :error REMOVE leaseUntil',
          ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
          ExpressionAttributeValues: { ':failed': 'failed', ':error': error.slice(0, 1000) },
        }),
      ),
    );
  }

  private async run<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw dependencyFailure('access', error);
    }
  }
}
