import type { LicenceState } from '../../../schemas/index.ts';

/** The states in which a request waits for an answer, holding one of its partner's pending slots. */
export const PENDING_STATES: readonly LicenceState[] = ['pending_approval', 'awaiting_signature'];

/** How many requests one partner may leave waiting for an answer: on one offer, and in all. */
export interface PendingRequestCaps {
  readonly perOffer: number;
  readonly total: number;
}

/**
 * Three per offer leave room for a request per purpose while another is answered; fifty in all exceed
 * what a firm licenses at once from one territory's catalogue, yet bound what one firm puts in an inbox.
 */
export const PENDING_REQUEST_CAPS: PendingRequestCaps = { perOffer: 3, total: 50 };
