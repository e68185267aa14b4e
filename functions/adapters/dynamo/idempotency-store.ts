import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { IdempotencyClaim, IdempotencyEntry, IdempotencyStore } from '../../ports/idempotency.ts';
import { dependencyFailure } from './errors.ts';
import { IDEMPOTENCY_RETENTION_SECONDS, idempotencyKey } from './ledger-items.ts';

const isConditionFailure = (error: unknown) => (error as Error).name === 'ConditionalCheckFailedException';

/** Idempotency-Key claims and answers: one item per (API key, Idempotency-Key), a claim until the change writes its answer. */
export class DynamoIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(c: IdempotencyClaim, now: string): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...idempotencyKey(c.scope, c.key),
            scope: c.scope,
            key: c.key,
            requestHash: c.requestHash,
            state: 'claimed',
            claimToken: c.token,
            at: c.at,
            leaseUntil: c.leaseUntil,
            ttl: Math.floor(Date.parse(c.at) / 1000) + IDEMPOTENCY_RETENTION_SECONDS,
          },
          // A free key, or a claim whose request died without answering: never an answer, never a live claim.
          ConditionExpression: 'attribute_not_exists(pk) OR (#state = :claimed AND leaseUntil < :now)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':claimed': 'claimed', ':now': now },
        }),
      );
      return true;
    } catch (error) {
      // A transaction writing the key's answer right now holds it as surely as a claim does.
      if (isConditionFailure(error) || (error as Error).name === 'TransactionConflictException') return false;
      throw dependencyFailure('PutItem', error);
    }
  }

  async get(scope: string, key: string): Promise<IdempotencyEntry | undefined> {
    let item: Record<string, unknown> | undefined;
    try {
      item = (await this.db.send(new GetCommand({ TableName: this.tableName, Key: idempotencyKey(scope, key), ConsistentRead: true }))).Item;
    } catch (error) {
      throw dependencyFailure('GetItem', error);
    }
    if (!item) return undefined;
    const requestHash = String(item.requestHash);
    // Records written before claims existed carry no state: they are answers.
    return item.state === 'claimed' ? { state: 'claimed', requestHash } : { state: 'done', requestHash, response: String(item.response) };
  }

  async release(scope: string, key: string, token: string): Promise<boolean> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: idempotencyKey(scope, key),
          // Only our own claim: never an answer, never the claim of a twin that took a lapsed key over.
          ConditionExpression: '#state = :claimed AND claimToken = :token',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':claimed': 'claimed', ':token': token },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw dependencyFailure('DeleteItem', error);
    }
  }
}
