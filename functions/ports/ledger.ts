import type { LedgerEntry, LicenceState } from '../../schemas/index.ts';
import type { PendingAuditEvent } from '../domain/audit/audit-trail.ts';
import type { EscrowHold, IdempotencyRecord, Movement } from '../domain/ledger/movement.ts';
import type { Page, PageRequest } from '../domain/model.ts';

export type StoredEscrow = EscrowHold & { readonly status: 'held' | 'released' | 'refunded' };

/** What a release attempt did: paid the licensor, found the escrow already closed, or left it held (licence not releasable). */
export type ReleaseOutcome = 'released' | 'already_closed' | 'withheld';

/** Balances, entries and escrows. */
export interface LedgerStore {
  balance(account: string): Promise<number>;
  statement(account: string, page: PageRequest): Promise<Page<LedgerEntry>>;
  /** Applies movements and writes their audit event (and idempotency record) atomically. */
  move(movements: readonly Movement[], event: PendingAuditEvent, idempotency?: IdempotencyRecord): Promise<void>;
  getEscrow(licenceId: string): Promise<StoredEscrow | undefined>;
  /** Held escrows whose hold ended by `now`, a page at a time (escrows left held stay listed). */
  escrowsDue(now: string, page: PageRequest): Promise<Page<StoredEscrow>>;
  /** Pays a held escrow out once (release to the licensor), with its audit event, only while its licence is in one of `licenceStates`. */
  releaseEscrow(escrow: StoredEscrow, movement: Movement, event: PendingAuditEvent, licenceStates: readonly LicenceState[]): Promise<ReleaseOutcome>;
}
