import { BatchGetCommand, GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PendingAuditEvent } from '../../domain/audit/audit-trail.ts';
import { StateConflictError } from '../../domain/errors.ts';
import type { RegisterMaskStore, StoredRegisterMask } from '../../ports/register.ts';
import { cancellationCodes, dynamoCall } from './errors.ts';
import { outboxPut } from './outbox.ts';
import { transactWrite } from './transact.ts';

const maskKey = (licenceId: string) => ({ pk: `REGMASK#${licenceId}`, sk: 'REGMASK' });
const strip = ({ pk: _pk, sk: _sk, ...rest }: Record<string, unknown>) => rest as StoredRegisterMask;

/** One item per masked (or once masked) register entry. */
export class DynamoRegisterMaskStore implements RegisterMaskStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(licenceId: string): Promise<StoredRegisterMask | undefined> {
    const out = await dynamoCall('GetItem', () => this.db.send(new GetCommand({ TableName: this.tableName, Key: maskKey(licenceId), ConsistentRead: true })));
    return out.Item ? strip(out.Item) : undefined;
  }

  async getMany(licenceIds: readonly string[]): Promise<Map<string, StoredRegisterMask>> {
    const found = new Map<string, StoredRegisterMask>();
    const unique = [...new Set(licenceIds)];
    for (let i = 0; i < unique.length; i += 100) {
      let keys: Record<string, unknown>[] | undefined = unique.slice(i, i + 100).map(maskKey);
      // BatchGetItem may leave keys unprocessed under load: ask again for those only.
      while (keys?.length) {
        const out = await dynamoCall('BatchGetItem', () => this.db.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys! } } })));
        for (const item of out.Responses?.[this.tableName] ?? []) {
          const mask = strip(item);
          found.set(mask.licenceId, mask);
        }
        keys = out.UnprocessedKeys?.[this.tableName]?.Keys as Record<string, unknown>[] | undefined;
      }
    }
    return found;
  }

  async put(mask: StoredRegisterMask, event: PendingAuditEvent): Promise<void> {
    const first = mask.version === 1;
    try {
      await transactWrite(this.db, 'putRegisterMask', [
        {
          Put: {
            TableName: this.tableName,
            Item: { ...maskKey(mask.licenceId), ...mask },
            ConditionExpression: first ? 'attribute_not_exists(pk)' : '#version = :previous',
            ...(first ? {} : { ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':previous': mask.version - 1 } }),
          },
        },
        outboxPut(this.tableName, event),
      ]);
    } catch (error) {
      if (cancellationCodes((error as Error).cause)?.[0] === 'ConditionalCheckFailed') {
        throw new StateConflictError(`the masking of licence ${mask.licenceId} changed meanwhile; read it again`, 'mask_changed', { cause: error });
      }
      throw error;
    }
  }
}
