import { GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BarterState } from '../../../schemas/index.ts';
import type { PendingAuditEvent } from '../../domain/audit/audit-trail.ts';
import { InvalidRequestError, StateConflictError } from '../../domain/errors.ts';
import type { IdempotencyRecord } from '../../domain/ledger/movement.ts';
import type { Page, PageRequest } from '../../domain/model.ts';
import type { BarterSettlement, BarterStore, StoredBarter } from '../../ports/barters.ts';
import { cancellationCodes, dependencyFailure } from './errors.ts';
import { dutyDueIndex, dutyKey } from './keys.ts';
import { idempotencyItem } from './ledger-items.ts';
import { layoutMovements, ledgerFailure } from './ledger-store.ts';
import { licenceItems } from './licence-store.ts';
import { outboxPut } from './outbox.ts';
import { DEFAULT_LIMIT, pageOf, pointedPage, startKeyOf } from './pagination.ts';

const barterKey = (id: string) => ({ pk: `BARTER#${id}`, sk: 'BARTER' });
const partyPartition = (partnerId: string) => `PARTY#${partnerId}#BARTERS`;
const ALL_BARTERS = 'BARTERS';
const strip = (i: Record<string, unknown>) => {
  const { pk: _pk, sk: _sk, gsi1pk: _g, gsi1sk: _s, ...rest } = i;
  return rest as unknown as StoredBarter;
};

/** Barters and each party's list of them. */
export class DynamoBarterStore implements BarterStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async createBarter(barter: StoredBarter, event: PendingAuditEvent, idempotency?: IdempotencyRecord): Promise<void> {
    const items = [
      { Put: { TableName: this.tableName, Item: { ...barterKey(barter.id), ...barter, gsi1pk: ALL_BARTERS, gsi1sk: barter.id }, ConditionExpression: 'attribute_not_exists(pk)' } },
      ...[barter.proposer.id, barter.counterparty.id].map((p) => ({ Put: { TableName: this.tableName, Item: { pk: partyPartition(p), sk: barter.id, barterId: barter.id } } })),
      ...(idempotency ? [idempotencyItem(this.tableName, idempotency)] : []),
      outboxPut(this.tableName, event),
    ];
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items as never }));
    } catch (error) {
      throw ledgerFailure(error, { debits: [], ...(idempotency ? { idempotencyIndex: 3 } : {}) }) ?? dependencyFailure('TransactWriteItems', error);
    }
  }

  async getBarter(id: string): Promise<StoredBarter | undefined> {
    const out = await this.run(() => this.db.send(new GetCommand({ TableName: this.tableName, Key: barterKey(id), ConsistentRead: true })));
    return out.Item ? strip(out.Item) : undefined;
  }

  async updateBarter(barter: StoredBarter, from: readonly BarterState[], event: PendingAuditEvent): Promise<void> {
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: [this.conditionalPut(barter, from), outboxPut(this.tableName, event)] as never }));
    } catch (error) {
      if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') throw new StateConflictError(`barter ${barter.id} is no longer ${from.join(' or ')}`, 'barter_state_changed', { cause: error });
      throw dependencyFailure('TransactWriteItems', error);
    }
  }

  async settle(s: BarterSettlement): Promise<void> {
    const head = [
      this.conditionalPut(s.barter, ['proposed']),
      ...s.licences.flatMap((l) => licenceItems(this.tableName, l)),
      ...s.duties.map((d) => ({ Put: { TableName: this.tableName, Item: { ...dutyKey(d.licenceId, d.dutyId), ...d, ...dutyDueIndex(d) }, ConditionExpression: 'attribute_not_exists(pk)' } })),
    ];
    const { items: moves, debits } = layoutMovements(this.tableName, s.movements, head.length);
    const idempotencyIndex = s.idempotency ? head.length + moves.length : undefined;
    const items = [...head, ...moves, ...(s.idempotency ? [idempotencyItem(this.tableName, s.idempotency)] : []), ...s.events.map((e) => outboxPut(this.tableName, e))];
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items as never }));
    } catch (error) {
      if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') throw new StateConflictError(`barter ${s.barter.id} is no longer proposed`, 'barter_state_changed', { cause: error });
      throw ledgerFailure(error, { debits, ...(idempotencyIndex !== undefined ? { idempotencyIndex } : {}) }) ?? dependencyFailure('TransactWriteItems', error);
    }
  }

  async listAll(page: PageRequest): Promise<Page<StoredBarter>> {
    const start = startKeyOf(page, ['pk', 'sk', 'gsi1pk', 'gsi1sk']);
    if (start && start.gsi1pk !== ALL_BARTERS) throw new InvalidRequestError('cursor belongs to another list');
    const out = await this.run(() =>
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :p',
          ExpressionAttributeValues: { ':p': ALL_BARTERS },
          Limit: page.limit ?? DEFAULT_LIMIT,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      ),
    );
    return pageOf((out.Items ?? []).map(strip), out.LastEvaluatedKey);
  }

  listByParty(partnerId: string, page: PageRequest): Promise<Page<StoredBarter>> {
    return pointedPage(this.db, this.tableName, partyPartition(partnerId), page, { idAttribute: 'barterId', keyOf: barterKey, read: strip });
  }

  private conditionalPut(barter: StoredBarter, from: readonly BarterState[]) {
    const values: Record<string, unknown> = {};
    from.forEach((s, i) => (values[`:from${i}`] = s));
    return {
      Put: {
        TableName: this.tableName,
        Item: { ...barterKey(barter.id), ...barter, gsi1pk: ALL_BARTERS, gsi1sk: barter.id },
        ConditionExpression: `#state IN (${from.map((_, i) => `:from${i}`).join(', ')})`,
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: values,
      },
    };
  }

  private async run<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof InvalidRequestError) throw error;
      throw dependencyFailure('barters', error);
    }
  }
}
