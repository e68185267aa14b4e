import type { DatasetRecord, VersionRecord } from '../../ports/catalogue.ts';
import type { StoredLicence } from '../../ports/licensing.ts';
import { BoundedCache } from '../bounded-cache.ts';
import type { EnforcementPlan } from './access-service.ts';
import type { Reason } from '../../../contracts/engine/evaluate.ts';

/** How long a licence or a dataset read may serve later decisions: every use is checked by the counting transaction anyway. */
export const MUTABLE_TTL_MS = 30_000;

/** What a decision caches of a licence: the licence read and the revision the counting transaction checks. */
export interface CachedLicence {
  readonly licence: StoredLicence;
  readonly revision: number;
}

/** The enforcement of one licence revision on one dataset state and version (`none`: the bytes go out as stored). */
export type CachedEnforcement = { readonly none: true } | EnforcementPlan | { readonly denied: Reason };

/** Sizes of each part; an entry is a few KB at most (a licence with its signed document). */
export interface AccessCacheSizes {
  readonly licences: number;
  readonly datasets: number;
  readonly versions: number;
  readonly plans: number;
}

const DEFAULT_SIZES: AccessCacheSizes = { licences: 2000, datasets: 1000, versions: 2000, plans: 2000 };

/**
 * The reads of the access decision kept in the function's memory, bounded. Published versions and the
 * plans derived from a licence revision never change; licences and datasets do, so each decision served
 * from them is checked by the transaction that counts it (see `AccessGuards`).
 */
export class AccessCache {
  readonly licences: BoundedCache<string, CachedLicence>;
  readonly datasets: BoundedCache<string, DatasetRecord>;
  /** Keyed by `datasetId#version`; only published versions are kept. */
  readonly versions: BoundedCache<string, VersionRecord>;
  /** Keyed by licence, revision, dataset `updatedAt` and version: everything the plan is derived from. */
  readonly plans: BoundedCache<string, CachedEnforcement>;

  constructor(options: { sizes?: Partial<AccessCacheSizes>; now?: () => number } = {}) {
    const sizes = { ...DEFAULT_SIZES, ...options.sizes };
    const timed = { ttlMs: MUTABLE_TTL_MS, ...(options.now ? { now: options.now } : {}) };
    this.licences = new BoundedCache(sizes.licences, timed);
    this.datasets = new BoundedCache(sizes.datasets, timed);
    this.versions = new BoundedCache(sizes.versions);
    this.plans = new BoundedCache(sizes.plans);
  }

  /** Drops what a failed guard showed stale. */
  forget(licenceId: string, datasetId: string): void {
    this.licences.delete(licenceId);
    this.datasets.delete(datasetId);
  }
}

export const versionCacheKey = (datasetId: string, version: number): string => `${datasetId}#${version}`;
export const planCacheKey = (licenceId: string, revision: number, dataset: DatasetRecord, version: number): string => `${licenceId}#${revision}#${dataset.id}#${dataset.updatedAt}#${version}`;
