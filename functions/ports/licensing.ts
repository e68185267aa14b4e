import type { Clause } from '../../contracts/clauses/clause.ts';
import type { PolicyRule } from '../../contracts/policy/policy.ts';
import type { SignatureEnvelope } from '../../contracts/signature.ts';
import type { Duty, Licence, LicenceDocument, LicenceState, Offer, Partner, RegisterOptOut, ZoneLayer } from '../../schemas/index.ts';
import type { PendingAuditEvent } from '../domain/audit/audit-trail.ts';
import type { EscrowHold, IdempotencyRecord, Movement } from '../domain/ledger/movement.ts';
import type { PendingRequestCaps } from '../domain/licences/request-caps.ts';
import type { Page, PageRequest } from '../domain/model.ts';
import type { DatasetRecord } from './catalogue.ts';

export interface StoredPolicy {
  readonly version: number;
  readonly rules: PolicyRule[];
  /** Themes kept out of the public register, each with its legal basis. */
  readonly registerOptOuts?: RegisterOptOut[];
  readonly updatedAt?: string;
  readonly updatedBy?: string;
}

export interface StoredZone {
  readonly name: string;
  readonly layer: ZoneLayer;
  readonly features: number;
  readonly sha256: string;
  readonly updatedAt: string;
}

/** The territory policy (versioned) and the zone layers officers manage. */
export interface PolicyStore {
  getPolicy(): Promise<StoredPolicy>;
  /** Writes version `policy.version`, conditional on the previous one still being current. */
  putPolicy(policy: StoredPolicy, previousVersion: number, event: PendingAuditEvent): Promise<void>;
  putZone(zone: StoredZone, event: PendingAuditEvent): Promise<void>;
  getZone(name: string): Promise<StoredZone | undefined>;
  listZones(): Promise<Omit<StoredZone, 'layer'>[]>;
}

/** An offer as stored: the signed document (its `offerId` is the `id`, its clauses catalogue-checked) and its owner. */
export type StoredOffer = Omit<Offer, 'clauses'> & { readonly clauses: Clause[]; readonly ownerId: string; readonly offerId: string };

/** A licence as stored, with the per-licence pseudonymisation key (never shown). */
export type StoredLicence = Omit<Licence, 'clauses'> & {
  readonly clauses: Clause[];
  readonly pseudonymKey: string;
  readonly expiresAt?: string;
  readonly document?: LicenceDocument;
  readonly signatures?: { acceptance: SignatureEnvelope & { acceptedBy: { partnerId: string; keyId: string; at: string } }; countersignature: SignatureEnvelope };
};

/** An open duty's due date moved from `from` to `dueAt`. */
export interface DutyDueMove {
  readonly dutyId: string;
  readonly from: string;
  readonly dueAt: string;
}

export interface LicenceTransition {
  readonly from: readonly LicenceState[];
  readonly to: LicenceState;
  readonly at: string;
  readonly by: string;
  readonly reason?: string;
  /** Extra fields set with the transition (document, digest, signatures, activatedAt…). */
  readonly set?: Partial<StoredLicence>;
  /** Duties created in the same transaction (activation). */
  readonly createDuties?: readonly Duty[];
  /** Open duties whose due date moves in the same transaction (an early end), each conditional on the due date read. */
  readonly moveDuties?: readonly DutyDueMove[];
  /** Only if no duty of the licence is overdue (reactivation). */
  readonly requireNoOverdue?: boolean;
  /** Credits moved in the same transaction (a purchase, a refund). */
  readonly movements?: readonly Movement[];
  readonly escrowHold?: EscrowHold;
  /** Closes the held escrow (conditional on `held`): a refund or a release, with its movement in `movements`. */
  readonly escrowClose?: { readonly licenceId: string; readonly status: 'released' | 'refunded' };
  /** The first answer kept for an Idempotency-Key, written with the change. */
  readonly idempotency?: IdempotencyRecord;
}

/** A licence as read, with what a transition from it needs: its revision and whether it holds a pending slot. */
export interface LicenceRead {
  readonly licence: StoredLicence;
  readonly revision: number;
  readonly pendingSlot: boolean;
}

/** Offers and licences; every write carries its audit event. */
export interface LicenceStore {
  createOffer(offer: StoredOffer, event: PendingAuditEvent): Promise<void>;
  getOffer(id: string): Promise<StoredOffer | undefined>;
  listOffers(datasetId: string | undefined, page: PageRequest): Promise<Page<StoredOffer>>;
  withdrawOffer(id: string, event: PendingAuditEvent): Promise<void>;
  /**
   * Stores a new licence. With `caps`, a pending licence takes one of its licensee's pending slots in the
   * same transaction (`TooManyPendingRequestsError` when none is left) and gives it back when it leaves the pending states.
   */
  createLicence(licence: StoredLicence, event: PendingAuditEvent, caps?: PendingRequestCaps): Promise<void>;
  getLicence(id: string): Promise<StoredLicence | undefined>;
  /** The licence with its revision, which every `transition` bumps (0: never changed since revisions were counted). */
  readLicence(id: string): Promise<LicenceRead | undefined>;
  /**
   * Moves the licence from the state it is in, which must be one of `from`, to `to`. The store reads that
   * state and conditions the write on it exactly, so the lists and the pending slot it moves are that
   * state's; `StateConflictError` when the licence is not in one of `from`, or changed in between. With
   * `seen` (a `readLicence` answer) the store does not read again: the write is conditional on that revision.
   */
  transition(id: string, t: LicenceTransition, event: PendingAuditEvent, seen?: LicenceRead): Promise<StoredLicence>;
  listByState(state: LicenceState | undefined, page: PageRequest): Promise<Page<StoredLicence>>;
  /** A party's licences, in creation order; with `state`, only those in that state (its own list, not a filter). */
  listByParty(partnerId: string, page: PageRequest, state?: LicenceState): Promise<Page<StoredLicence>>;
}

/** What a signature checks besides the licence; `undefined` where the item is missing. */
export interface SignatureContext {
  readonly offer: StoredOffer | undefined;
  readonly licensee: Partner | undefined;
  readonly dataset: DatasetRecord | undefined;
  /** The policy in force (version 0 without rules when none was ever written). */
  readonly policy: StoredPolicy;
}

/** Reads the offer, licensee, dataset and policy a licence names together, strongly consistent (one request on DynamoDB). */
export interface SignatureContextReader {
  read(names: { readonly offerId: string; readonly licenseeId: string; readonly datasetId: string }): Promise<SignatureContext>;
}

/** Whether a partner holds (or held) a licence on a dataset. */
export interface LicenseeDirectory {
  isLicensee(partnerId: string, datasetId: string): Promise<boolean>;
}
