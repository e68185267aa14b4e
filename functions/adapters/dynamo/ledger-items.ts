import type { EscrowHold, IdempotencyRecord, Movement } from '../../domain/ledger/movement.ts';
import { ISSUANCE } from '../../domain/ledger/movement.ts';

export const balanceKey = (account: string) => ({ pk: `ACCOUNT#${account}`, sk: 'BALANCE' });
export const entrySk = (at: string, movementId: string) => `ENTRY#${at}#${movementId}`;
export const escrowKey = (licenceId: string) => ({ pk: `ESCROW#${licenceId}`, sk: 'ESCROW' });
export const idempotencyKey = (scope: string, key: string) => ({ pk: `IDEMPOTENCY#${scope}#${key}`, sk: 'IDEMPOTENCY' });
export const ESCROW_DUE = 'ESCROWDUE';
/** Idempotency records are kept 7 days, longer than any client retries. */
export const IDEMPOTENCY_RETENTION_SECONDS = 7 * 24 * 3600;

/**
 * The transaction items of a movement: the debit (conditional on the balance, except for the
 * issuance account), the credit, and one entry on each side. `debitIndex` locates the debit.
 */
export function movementItems(tableName: string, m: Movement): { items: Record<string, unknown>[]; debitIndex: number } {
  const entry = (account: string, amount: number, counterparty: string) => ({
    Put: {
      TableName: tableName,
      Item: { pk: `ACCOUNT#${account}`, sk: entrySk(m.at, m.movementId), movementId: m.movementId, account, amount, counterparty, cause: m.cause, at: m.at, ...(m.memo ? { memo: m.memo } : {}) },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });
  return {
    debitIndex: 0,
    items: [
      {
        Update: {
          TableName: tableName,
          Key: balanceKey(m.from),
          UpdateExpression: 'ADD balance :minus SET account = :account',
          // No partner balance ever goes below zero: the debit itself checks it.
          ...(m.from === ISSUANCE ? {} : { ConditionExpression: 'balance >= :amount' }),
          ExpressionAttributeValues: { ':minus': -m.amount, ':account': m.from, ...(m.from === ISSUANCE ? {} : { ':amount': m.amount }) },
        },
      },
      { Update: { TableName: tableName, Key: balanceKey(m.to), UpdateExpression: 'ADD balance :plus SET account = :account', ExpressionAttributeValues: { ':plus': m.amount, ':account': m.to } } },
      entry(m.from, -m.amount, m.to),
      entry(m.to, m.amount, m.from),
    ],
  };
}

/** The first answer replacing the claim it completes: a twin whose claim lapsed and was taken over cannot write it. */
export function idempotencyItem(tableName: string, r: IdempotencyRecord) {
  const { token, ...answer } = r;
  return {
    Put: {
      TableName: tableName,
      Item: { ...idempotencyKey(r.scope, r.key), ...answer, state: 'done', ttl: Math.floor(Date.parse(r.at) / 1000) + IDEMPOTENCY_RETENTION_SECONDS },
      ConditionExpression: '#state = :claimed AND claimToken = :token',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':claimed': 'claimed', ':token': token },
    },
  };
}

export function escrowHoldItem(tableName: string, e: EscrowHold) {
  return {
    Put: {
      TableName: tableName,
      Item: { ...escrowKey(e.licenceId), ...e, status: 'held', gsi2pk: ESCROW_DUE, gsi2sk: `${e.releaseAt}#${e.licenceId}` },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** Closes a held escrow (released or refunded) exactly once. */
export function escrowCloseItem(tableName: string, licenceId: string, status: 'released' | 'refunded', at: string) {
  return {
    Update: {
      TableName: tableName,
      Key: escrowKey(licenceId),
      UpdateExpression: 'SET #status = :status, closedAt = :at REMOVE gsi2pk, gsi2sk',
      ConditionExpression: '#status = :held',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':status': status, ':held': 'held', ':at': at },
    },
  };
}
