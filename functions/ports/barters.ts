import type { Barter, BarterState, Duty } from '../../schemas/index.ts';
import type { PendingAuditEvent } from '../domain/audit/audit-trail.ts';
import type { IdempotencyRecord, Movement } from '../domain/ledger/movement.ts';
import type { Page, PageRequest } from '../domain/model.ts';
import type { StoredLicence } from './licensing.ts';

export type StoredBarter = Barter & { readonly proposedBy: string };

/** Everything an accepted barter writes, in one transaction: both licences or neither. */
export interface BarterSettlement {
  readonly barter: StoredBarter;
  readonly licences: readonly [StoredLicence, StoredLicence];
  readonly duties: readonly Duty[];
  readonly movements: readonly Movement[];
  readonly idempotency?: IdempotencyRecord;
  readonly events: readonly PendingAuditEvent[];
}

/** Barter proposals and their settlement. */
export interface BarterStore {
  createBarter(barter: StoredBarter, event: PendingAuditEvent, idempotency?: IdempotencyRecord): Promise<void>;
  getBarter(id: string): Promise<StoredBarter | undefined>;
  /** Replaces the barter if it is still in one of `from`; `StateConflictError` otherwise. */
  updateBarter(barter: StoredBarter, from: readonly BarterState[], event: PendingAuditEvent): Promise<void>;
  /** Accepts a proposed barter: its new state, both active licences, their duties and the credits. */
  settle(settlement: BarterSettlement): Promise<void>;
  listAll(page: PageRequest): Promise<Page<StoredBarter>>;
  listByParty(partnerId: string, page: PageRequest): Promise<Page<StoredBarter>>;
}
