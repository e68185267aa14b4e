import { BusinessRuleError, StateConflictError } from '../errors.ts';

/** The territory's account, the only one allowed below zero: grants are issued from it. */
export const ISSUANCE = 'issuance';
export const partnerAccount = (partnerId: string) => `partner:${partnerId}`;
export const escrowAccount = (licenceId: string) => `escrow:${licenceId}`;
/** Credits paid for a licence wait this long in escrow before reaching the licensor. */
export const ESCROW_HOLD_MS = 24 * 3600_000;

export type CauseType = 'grant' | 'purchase' | 'escrow-release' | 'refund' | 'barter';

/** One double-entry movement: `amount` leaves `from` and reaches `to`, as two entries that sum to zero. */
export interface Movement {
  readonly movementId: string;
  readonly at: string;
  readonly from: string;
  readonly to: string;
  readonly amount: number;
  readonly cause: { readonly type: CauseType; readonly licenceId?: string; readonly barterId?: string };
  readonly memo?: string;
}

/** Credits held for a purchased licence until release (or refund on revocation). */
export interface EscrowHold {
  readonly licenceId: string;
  readonly ownerId: string;
  readonly licenseeId: string;
  readonly amount: number;
  readonly releaseAt: string;
}

/** The first answer to a request made with an Idempotency-Key, kept with the change it made. */
export interface IdempotencyRecord {
  /** The API key that made the request: another caller reusing the key gets nothing of it. */
  readonly scope: string;
  readonly key: string;
  readonly requestHash: string;
  readonly response: string;
  readonly at: string;
  /** The claim this answer completes: written only while that claim still holds the key. */
  readonly token: string;
}

export class InsufficientCreditsError extends BusinessRuleError {
  constructor(account: string, needed: number, options?: ErrorOptions) {
    super(`not enough credits on ${account} (${needed} needed)`, 'insufficient_credits', options);
  }
}

/** The same Idempotency-Key was used for another request. */
export class IdempotencyKeyReusedError extends StateConflictError {
  constructor(options?: ErrorOptions) {
    super('this Idempotency-Key was already used for a different request', 'idempotency_key_reused', options);
  }
}

/** Seconds a caller is asked to wait before retrying a request whose key is held by a twin in flight. */
export const IDEMPOTENCY_RETRY_AFTER_SECONDS = 1;

/** Another request with the same key holds it and has not answered yet: retry after a moment. */
export class IdempotencyInProgressError extends StateConflictError {
  constructor(options?: ErrorOptions) {
    super('a request with this Idempotency-Key is being processed; retry later', 'idempotency_in_progress', { ...options, retryAfterSeconds: IDEMPOTENCY_RETRY_AFTER_SECONDS });
  }
}
