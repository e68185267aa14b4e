import type { LedgerEntry } from '../../schemas/index.ts';
import type { PendingAuditEvent } from '../domain/audit/audit-trail.ts';
import type { EscrowHold, IdempotencyRecord, Movement } from '../domain/ledger/movement.ts';
import type { Page, PageRequest } from '../domain/model.ts';

export type StoredEscrow = EscrowHold & { readonly status: 'held' | 'released' | 'refunded' };

/** Balances, entries and escrows. */
export interface LedgerStore {
  balance(account: string): Promise<number>;
  statement(account: string, page: PageRequest): Promise<Page<LedgerEntry>>;
  /** Applies movements and writes their audit event (and idempotency record) atomically. */
  move(movements: readonly Movement[], event: PendingAuditEvent, idempotency?: IdempotencyRecord): Promise<void>;
  getEscrow(licenceId: string): Promise<StoredEscrow | undefined>;
  escrowsDue(now: string, limit: number): Promise<StoredEscrow[]>;
  /** Pays a held escrow out once (release to the licensor), with its audit event. */
  releaseEscrow(escrow: StoredEscrow, movement: Movement, event: PendingAuditEvent): Promise<boolean>;
}
