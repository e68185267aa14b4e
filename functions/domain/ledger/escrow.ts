import type { LicenceState } from '../../../schemas/index.ts';
import { escrowAccount, partnerAccount, type EscrowHold, type Movement } from './movement.ts';

/**
 * Licence states in which the schedule may pay a held escrow to the licensor: still running, or run
 * its course. A suspended licence's payment stays held and is tried again on a later run; an ended one
 * was settled by the transaction that ended it.
 */
export const RELEASABLE_STATES: readonly LicenceState[] = ['active', 'expired'];

/** Where a held escrow goes: back to the licensee, or on to the licensor. */
export type EscrowOutcome = 'refunded' | 'released';

/** Who ended a licence before its escrow was released. */
export type EndedBy = 'officer' | 'licensor' | 'licensee';

/**
 * The refund rule: an end by an officer or by the licensor refunds the licensee in full; the
 * licensee's own termination pays the licensor at once (it chose to end a licence it obtained).
 */
export function outcomeOfEnd(endedBy: EndedBy): EscrowOutcome {
  return endedBy === 'licensee' ? 'released' : 'refunded';
}

/** The movement and the closing that settle a held escrow, written in one transaction with the cause. */
export function settlementOf(escrow: EscrowHold, outcome: EscrowOutcome, at: string, movementId: string): { movement: Movement; close: { licenceId: string; status: EscrowOutcome } } {
  const to = outcome === 'refunded' ? escrow.licenseeId : escrow.ownerId;
  return {
    movement: { movementId, at, from: escrowAccount(escrow.licenceId), to: partnerAccount(to), amount: escrow.amount, cause: { type: outcome === 'refunded' ? 'refund' : 'escrow-release', licenceId: escrow.licenceId } },
    close: { licenceId: escrow.licenceId, status: outcome },
  };
}
