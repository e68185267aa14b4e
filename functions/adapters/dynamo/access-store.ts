import { DeleteCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { datasetKey, licenceKey, variantItemKey, variantsOf, versionKey } from './keys.ts';
import type { QuotaCharge } from '../../../contracts/engine/evaluate.ts';
import type { PendingAuditEvent } from '../../domain/audit/audit-trail.ts';
import type { AccessGuards, AccessRecord, AccessStore, GrantOutcome, VariantRecord } from '../../ports/access.ts';
import { DependencyError } from '../../domain/errors.ts';
import { cancellationCodes, dependencyFailure } from './errors.ts';
import { outboxPut } from './outbox.ts';

const quotaKey = (licenceId: string, clauseIndex: number, windowStart: string) => ({ pk: `LICENCE#${licenceId}`, sk: `QUOTA#${clauseIndex}#${windowStart}` });
const accessKey = (id: string) => ({ pk: `ACCESS#${id}`, sk: 'ACCESS' });
/** Variant records outlive nothing: they expire before the 30-day lifecycle of derived/ objects. */
const VARIANT_RETENTION_SECONDS = 25 * 24 * 3600;
/** Access records are kept 30 days (the audit chain keeps them for good). */
const ACCESS_RETENTION_SECONDS = 30 * 24 * 3600;

/** Quotas, accesses and variant leases in the single table. */
export class DynamoAccessStore implements AccessStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async grant(licenceId: string, record: AccessRecord, charges: readonly QuotaCharge[], event: PendingAuditEvent, guards: AccessGuards = {}): Promise<GrantOutcome> {
    const ttl = Math.floor(Date.parse(record.at) / 1000) + ACCESS_RETENTION_SECONDS;
    const checks = this.guardChecks(guards);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.transactGrant(licenceId, record, charges, event, ttl, checks);
        return { granted: true };
      } catch (error) {
        const codes = cancellationCodes(error);
        // A guard first: a full quota read against a stale licence says nothing.
        const guardsAt = charges.length + 2;
        if (checks.some((_, i) => codes?.[guardsAt + i] === 'ConditionalCheckFailed')) return { granted: false, stale: true };
        const exhausted = charges.filter((_, i) => codes?.[i] === 'ConditionalCheckFailed');
        if (exhausted.length) return { granted: false, exhausted };
        // Real DynamoDB cancels concurrent transactions on one quota item: retry with jittered backoff.
        if (codes?.includes('TransactionConflict') && attempt < 5) {
          await new Promise((r) => setTimeout(r, 20 * 2 ** attempt * Math.random()));
          continue;
        }
        // Still held after five tries: the platform is busy, not the request wrong, so the answer is 503 with Retry-After.
        if (codes?.includes('TransactionConflict')) throw new DependencyError('too many concurrent accesses on this licence; ask again', { cause: error, retryAfterSeconds: 1 });
        throw dependencyFailure('TransactWriteItems', error);
      }
    }
  }

  /** One ConditionCheck per guard, on the items the decision read. */
  private guardChecks(guards: AccessGuards): Record<string, unknown>[] {
    const check = (Key: Record<string, string>, ConditionExpression: string, values: Record<string, unknown>, names: Record<string, string> = {}) => ({
      ConditionCheck: { TableName: this.tableName, Key, ConditionExpression, ExpressionAttributeValues: values, ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}) },
    });
    const { licence, dataset, version } = guards;
    return [
      // Licences written before revisions were counted have none: revision 0 is its absence.
      ...(licence
        ? [check(licenceKey(licence.id), `#state = :active AND ${licence.revision ? 'revision = :revision' : 'attribute_not_exists(revision)'}`, { ':active': 'active', ...(licence.revision ? { ':revision': licence.revision } : {}) }, { '#state': 'state' })]
        : []),
      ...(dataset
        ? [check(datasetKey(dataset.id), 'updatedAt = :updatedAt', { ':updatedAt': dataset.updatedAt })]
        : []),
      ...(version ? [check(versionKey(version.datasetId, version.version), '#status = :published', { ':published': 'published' }, { '#status': 'status' })] : []),
    ];
  }

  private async transactGrant(licenceId: string, record: AccessRecord, charges: readonly QuotaCharge[], event: PendingAuditEvent, ttl: number, checks: readonly Record<string, unknown>[]): Promise<void> {
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
          { Put: { TableName: this.tableName, Item: { ...accessKey(record.accessId), ...record, ttl }, ConditionExpression: 'attribute_not_exists(pk)' } },
          outboxPut(this.tableName, event),
          ...checks,
        ] as never,
      }),
    );
  }

  async getAccess(accessId: string): Promise<AccessRecord | undefined> {
    const out = await this.run(() => this.db.send(new GetCommand({ TableName: this.tableName, Key: accessKey(accessId), ConsistentRead: true })));
    if (!out.Item) return undefined;
    const { pk: _pk, sk: _sk, ttl: _ttl, ...record } = out.Item;
    return record as AccessRecord;
  }

  async getVariant(key: string): Promise<VariantRecord | undefined> {
    const out = await this.run(() => this.db.send(new GetCommand({ TableName: this.tableName, Key: variantItemKey(key), ConsistentRead: true })));
    if (!out.Item) return undefined;
    const { pk: _pk, sk: _sk, ttl: _ttl, ...record } = out.Item;
    return record as VariantRecord;
  }

  async acquireLease(key: string, now: string, leaseUntil: string): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...variantItemKey(key), key, status: 'building', leaseUntil },
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

  async completeVariant(key: string, leaseUntil: string, result: { bytes: number; rowsIn: number; rowsOut: number; builtAt: string }): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: variantItemKey(key),
          UpdateExpression: 'SET #status = :ready, bytes = :bytes, rowsIn = :in, rowsOut = :out, builtAt = :at, #ttl = :ttl REMOVE leaseUntil',
          // Only the builder still holding the lease marks it ready (a purge may have dropped it meanwhile).
          ConditionExpression: '#status = :building AND leaseUntil = :lease',
          ExpressionAttributeNames: { '#status': 'status', '#ttl': 'ttl' },
          ExpressionAttributeValues: {
            ':ready': 'ready',
            ':building': 'building',
            ':lease': leaseUntil,
            ':bytes': result.bytes,
            ':in': result.rowsIn,
            ':out': result.rowsOut,
            ':at': result.builtAt,
            ':ttl': Math.floor(Date.parse(result.builtAt) / 1000) + VARIANT_RETENTION_SECONDS,
          },
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw dependencyFailure('UpdateItem', error);
    }
  }

  async dropVariants(datasetId: string, version: number): Promise<number> {
    const out = await this.run(() =>
      this.db.send(new QueryCommand({ TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': variantsOf(datasetId, version) }, ConsistentRead: true })),
    );
    for (const item of out.Items ?? []) {
      await this.run(() => this.db.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: item.pk, sk: item.sk } })));
    }
    return out.Items?.length ?? 0;
  }

  async failVariant(key: string, leaseUntil: string, error: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: variantItemKey(key),
          UpdateExpression: 'SET #status = :failed, #error = :error REMOVE leaseUntil',
          // Only the builder still holding the lease: a lapsed one must not undo a later builder's variant, nor revive a purged one.
          ConditionExpression: '#status = :building AND leaseUntil = :lease',
          ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
          ExpressionAttributeValues: { ':failed': 'failed', ':error': error.slice(0, 1000), ':building': 'building', ':lease': leaseUntil },
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw dependencyFailure('UpdateItem', error);
    }
  }

  private async run<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw dependencyFailure('access', error);
    }
  }
}
