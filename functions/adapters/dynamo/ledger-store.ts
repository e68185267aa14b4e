import { GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LedgerEntry, LicenceState } from '../../../schemas/index.ts';
import type { PendingAuditEvent } from '../../domain/audit/audit-trail.ts';
import { InvalidRequestError, StateConflictError } from '../../domain/errors.ts';
import { IdempotencyInProgressError, InsufficientCreditsError, type IdempotencyRecord, type Movement } from '../../domain/ledger/movement.ts';
import type { Page, PageRequest } from '../../domain/model.ts';
import type { LedgerStore, ReleaseOutcome, StoredEscrow } from '../../ports/ledger.ts';
import { cancellationCodes, dependencyFailure } from './errors.ts';
import { licenceKey } from './keys.ts';
import { ESCROW_DUE, balanceKey, escrowCloseItem, escrowKey, idempotencyItem, movementItems } from './ledger-items.ts';
import { outboxPut } from './outbox.ts';
import { DEFAULT_LIMIT, pageOf, startKeyOf } from './pagination.ts';

/** Explains a cancelled ledger transaction item by item (a failed balance check is a 422, not a 500). */
export function ledgerFailure(error: unknown, layout: { debits: { index: number; account: string; amount: number }[]; idempotencyIndex?: number }): Error | undefined {
  const codes = cancellationCodes(error);
  if (!codes) return undefined;
  const debit = layout.debits.find((d) => codes[d.index] === 'ConditionalCheckFailed');
  if (debit) return new InsufficientCreditsError(debit.account, debit.amount, { cause: error });
  if (layout.idempotencyIndex !== undefined && codes[layout.idempotencyIndex] === 'ConditionalCheckFailed') return new IdempotencyInProgressError({ cause: error });
  if (codes.includes('TransactionConflict')) return new StateConflictError('a concurrent change touched the same accounts; retry', 'concurrent_change', { cause: error });
  return undefined;
}

/** Lays movements out as transaction items, remembering where each debit sits. */
export function layoutMovements(tableName: string, movements: readonly Movement[], offset: number) {
  const items: Record<string, unknown>[] = [];
  const debits: { index: number; account: string; amount: number }[] = [];
  for (const m of movements) {
    const { items: own, debitIndex } = movementItems(tableName, m);
    debits.push({ index: offset + items.length + debitIndex, account: m.from, amount: m.amount });
    items.push(...own);
  }
  return { items, debits };
}

/** The credits ledger in the single table: one balance item and one entry per movement side per account. */
export class DynamoLedgerStore implements LedgerStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async balance(account: string): Promise<number> {
    const out = await this.run(() => this.db.send(new GetCommand({ TableName: this.tableName, Key: balanceKey(account), ConsistentRead: true })));
    return Number(out.Item?.balance ?? 0);
  }

  async statement(account: string, page: PageRequest): Promise<Page<LedgerEntry>> {
    const start = startKeyOf(page, ['pk', 'sk']);
    if (start && start.pk !== `ACCOUNT#${account}`) throw new InvalidRequestError('cursor belongs to another account');
    const out = await this.run(() =>
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :entry)',
          ExpressionAttributeValues: { ':pk': `ACCOUNT#${account}`, ':entry': 'ENTRY#' },
          ScanIndexForward: false,
          Limit: page.limit ?? DEFAULT_LIMIT,
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      ),
    );
    return pageOf(
      (out.Items ?? []).map(({ movementId, account: a, amount, counterparty, cause, at, memo }) => ({ movementId, account: a, amount, counterparty, cause, at, ...(memo ? { memo } : {}) }) as LedgerEntry),
      out.LastEvaluatedKey,
    );
  }

  async move(movements: readonly Movement[], event: PendingAuditEvent, idempotency?: IdempotencyRecord): Promise<void> {
    const { items, debits } = layoutMovements(this.tableName, movements, 0);
    const all = [...items, ...(idempotency ? [idempotencyItem(this.tableName, idempotency)] : []), outboxPut(this.tableName, event)];
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: all as never }));
    } catch (error) {
      throw ledgerFailure(error, { debits, ...(idempotency ? { idempotencyIndex: items.length } : {}) }) ?? dependencyFailure('TransactWriteItems', error);
    }
  }

  async getEscrow(licenceId: string): Promise<StoredEscrow | undefined> {
    const out = await this.run(() => this.db.send(new GetCommand({ TableName: this.tableName, Key: escrowKey(licenceId), ConsistentRead: true })));
    return out.Item ? (strip(out.Item) as unknown as StoredEscrow) : undefined;
  }

  async escrowsDue(now: string, page: PageRequest): Promise<Page<StoredEscrow>> {
    const start = startKeyOf(page, ['pk', 'sk', 'gsi2pk', 'gsi2sk']);
    if (start && start.gsi2pk !== ESCROW_DUE) throw new InvalidRequestError('cursor belongs to another list');
    const out = await this.run(() =>
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :p AND gsi2sk <= :now',
          ExpressionAttributeValues: { ':p': ESCROW_DUE, ':now': `${now}#~` },
          Limit: page.limit ?? DEFAULT_LIMIT,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      ),
    );
    return pageOf((out.Items ?? []).map((i) => strip(i) as unknown as StoredEscrow), out.LastEvaluatedKey);
  }

  async releaseEscrow(escrow: StoredEscrow, movement: Movement, event: PendingAuditEvent, licenceStates: readonly LicenceState[]): Promise<ReleaseOutcome> {
    const { items, debits } = layoutMovements(this.tableName, [movement], 2);
    // The licensor is paid only while the licence is still in a releasable state, read in the same transaction.
    const licenceCheck = {
      ConditionCheck: {
        TableName: this.tableName,
        Key: licenceKey(escrow.licenceId),
        ConditionExpression: `#state IN (${licenceStates.map((_, i) => `:state${i}`).join(', ')})`,
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: Object.fromEntries(licenceStates.map((s, i) => [`:state${i}`, s])),
      },
    };
    try {
      await this.db.send(
        new TransactWriteCommand({ TransactItems: [escrowCloseItem(this.tableName, escrow.licenceId, 'released', movement.at), licenceCheck, ...items, outboxPut(this.tableName, event)] as never }),
      );
      return 'released';
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes?.[0] === 'ConditionalCheckFailed') return 'already_closed';
      if (codes?.[1] === 'ConditionalCheckFailed') return 'withheld';
      throw ledgerFailure(error, { debits }) ?? dependencyFailure('TransactWriteItems', error);
    }
  }

  private async run<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof InvalidRequestError) throw error;
      throw dependencyFailure('ledger', error);
    }
  }
}

function strip(item: Record<string, unknown>): Record<string, unknown> {
  const { pk: _pk, sk: _sk, gsi2pk: _g, gsi2sk: _s, ...rest } = item;
  return rest;
}
