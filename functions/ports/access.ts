import type { Clause } from '../../contracts/clauses/clause.ts';
import type { QuotaCharge } from '../../contracts/engine/evaluate.ts';
import type { PendingAuditEvent } from '../domain/audit/audit-trail.ts';

/** One permitted access: what was asked, and which bytes answer it. */
export interface AccessRecord {
  readonly accessId: string;
  readonly licenceId: string;
  readonly licensorId: string;
  readonly licenseeId: string;
  readonly datasetId: string;
  readonly version: number;
  readonly purpose: string;
  readonly at: string;
  /** The original object (delivered as is when the licence has no transform). */
  readonly objectKey: string;
  /** The enforced variant's key, when the licence transforms the bytes. */
  readonly variantKey?: string;
  readonly transforms: Clause[];
  readonly obligations: Clause[];
}

/** An enforced variant: built once per (version, transforms, licence key), shared by later accesses. */
export interface VariantRecord {
  readonly key: string;
  readonly status: 'building' | 'ready' | 'failed';
  readonly leaseUntil?: string;
  readonly bytes?: number;
  readonly rowsIn?: number;
  readonly rowsOut?: number;
  readonly error?: string;
}

/**
 * What the decision read, checked again by the transaction that counts the access: a read served from a
 * cache that has gone stale fails its check, and nothing is written.
 */
export interface AccessGuards {
  /** The licence is still active at this revision. */
  readonly licence?: { readonly id: string; readonly revision: number };
  /** The dataset is unchanged since `updatedAt` (edits and publications move it). */
  readonly dataset?: { readonly id: string; readonly updatedAt: string };
  /** The version is still published. */
  readonly version?: { readonly datasetId: string; readonly version: number };
}

/** The outcome of counting an access: granted, refused by a full quota, or refused because a guard no longer holds. */
export type GrantOutcome = { granted: true } | { granted: false; exhausted: QuotaCharge[] } | { granted: false; stale: true };

/** Quota counters, access records and variant leases. */
export interface AccessStore {
  /**
   * Counts every quota, writes the access record and the audit event in one transaction, conditional on the
   * guards; when a guard fails nothing is written (`stale`), else when a quota is full its charges are returned.
   */
  grant(licenceId: string, record: AccessRecord, charges: readonly QuotaCharge[], event: PendingAuditEvent, guards?: AccessGuards): Promise<GrantOutcome>;
  getAccess(accessId: string): Promise<AccessRecord | undefined>;
  getVariant(key: string): Promise<VariantRecord | undefined>;
  /** Takes the build lease unless another builder holds a live one or the variant is ready. */
  acquireLease(key: string, now: string, leaseUntil: string): Promise<boolean>;
  /** Marks the variant ready if this builder still holds the lease; false otherwise. */
  completeVariant(key: string, leaseUntil: string, result: { bytes: number; rowsIn: number; rowsOut: number; builtAt: string }): Promise<boolean>;
  /** Forgets every variant of a version (purge). */
  dropVariants(datasetId: string, version: number): Promise<number>;
  /** Marks the variant failed if this builder still holds the lease; false otherwise. */
  failVariant(key: string, leaseUntil: string, error: string): Promise<boolean>;
}
