import type { Classification, Dataset, DatasetVersion, Theme } from '../../schemas/index.ts';
import type { PendingAuditEvent } from '../domain/audit/audit-trail.ts';
import type { Page, PageRequest } from '../domain/model.ts';

/** A dataset as stored: the public metadata, its owner and its version counter. */
export interface DatasetRecord extends Dataset {
  readonly ownerId: string;
  readonly nextVersion: number;
}

/** The metadata an owner may edit, plus the new `updatedAt`. */
export type DatasetMetadataChanges = Partial<Pick<Dataset, 'title' | 'description' | 'theme' | 'keywords' | 'spatial' | 'classification' | 'licence' | 'schema'>> & {
  readonly updatedAt: string;
};

/** A version as stored, with the storage keys (always ours, never from user input). */
export interface VersionRecord extends DatasetVersion {
  readonly incomingKey: string;
  /** ETag of the upload when it was completed: ingest publishes those bytes or none. */
  readonly incomingEtag?: string;
  /** Set at publication: the object ingest wrote. */
  readonly objectKey?: string;
  readonly uploadId?: string;
  readonly partSize?: number;
  readonly partCount?: number;
  /** While in flight: when the sweeper looks at the version next (indexed). */
  readonly sweepAt?: string;
  /** Validations the sweeper has re-driven so far. */
  readonly redrives?: number;
  /** The ingest attempt holding the version, and until when: only that attempt may publish it. */
  readonly claim?: number;
  readonly leaseUntil?: string;
}

export interface DatasetSearch extends PageRequest {
  readonly theme?: Theme;
  readonly classification?: Classification;
  /** Accent-folded lower-case tokens that must all prefix-match the dataset's words. */
  readonly tokens: readonly string[];
}

/** What changes when a version is published, all in one transaction. */
export interface Publication {
  readonly version: VersionRecord;
  /** The ingest claim publishing (see `claimIngest`). */
  readonly claim: number;
  /** The dataset's latest published version before this one, for an optimistic update. */
  readonly previousLatest: number | undefined;
  readonly delivery?: { contractId: string; obligationId: string };
  readonly events: readonly PendingAuditEvent[];
}

/** Persistence of datasets and versions. */
export interface CatalogueStore {
  createDataset(dataset: DatasetRecord, searchText: string, event: PendingAuditEvent): Promise<void>;
  getDataset(id: string): Promise<DatasetRecord | undefined>;
  getDatasets(ids: readonly string[]): Promise<DatasetRecord[]>;
  /** Sets the given metadata fields (never the version counters) if `updatedAt` is still `expectedUpdatedAt`. */
  updateDataset(id: string, changes: DatasetMetadataChanges, searchText: string, expectedUpdatedAt: string, event: PendingAuditEvent): Promise<void>;
  searchDatasets(search: DatasetSearch): Promise<Page<DatasetRecord>>;
  /** Claims version `version.version` (= dataset.nextVersion + 1) and writes it. */
  createVersion(dataset: DatasetRecord, version: VersionRecord, event: PendingAuditEvent): Promise<void>;
  getVersion(datasetId: string, version: number): Promise<VersionRecord | undefined>;
  /** A dataset and one of its versions, in one strongly consistent read. */
  getDatasetAndVersion(datasetId: string, version: number): Promise<{ dataset?: DatasetRecord; version?: VersionRecord }>;
  /** The newest published version, in one read (without going through the dataset item). */
  latestPublishedVersion(datasetId: string): Promise<VersionRecord | undefined>;
  listVersions(datasetId: string, page: PageRequest): Promise<Page<VersionRecord>>;
  /** Moves a version from `from` to the state described by `changes`; `StateConflictError` if it moved meanwhile. */
  transition(datasetId: string, version: number, from: readonly DatasetVersion['status'][], changes: Partial<VersionRecord>, event: PendingAuditEvent | undefined): Promise<void>;
  /** Publishes; `StateConflictError` `version_state_changed` unless the version is still validating under `publication.claim`. */
  publish(publication: Publication): Promise<void>;
  /** Takes the ingest lease of a validating version unless a live one is held: the new claim number, or undefined. */
  claimIngest(datasetId: string, version: number, now: string, leaseUntil: string, sweepAt: string): Promise<number | undefined>;
  /** In-flight versions whose `sweepAt` has passed, oldest first. */
  versionsToSweep(now: string, limit: number): Promise<{ datasetId: string; version: number }[]>;
  /** Like `transition`, but only if the version is still as the sweeper read it (same status and `sweepAt`). */
  sweep(seen: VersionRecord, changes: Partial<VersionRecord>, event: PendingAuditEvent): Promise<void>;
  /** Marks a published version open and lists its dataset under /open, if the dataset's `updatedAt` is still `datasetUpdatedAt`. */
  openVersion(version: VersionRecord, datasetUpdatedAt: string, event: PendingAuditEvent): Promise<void>;
  /** Takes a version off the open-after-delay queue, recording why it did not open. */
  blockOpening(version: VersionRecord, reason: string, event: PendingAuditEvent): Promise<void>;
  /** Published versions whose `openFrom` has passed, oldest first. */
  versionsDueToOpen(now: string, limit: number): Promise<{ datasetId: string; version: number }[]>;
  /** Opens every published version, or closes those opened only by an `open` classification, then refreshes the listing. */
  reconcileOpenness(datasetId: string, open: boolean): Promise<void>;
  /** Re-derives the dataset's latest version and its /open listing after a purge. */
  refreshListing(datasetId: string): Promise<void>;
  listOpenDatasets(page: PageRequest): Promise<Page<{ datasetId: string; latestOpenVersion: number }>>;
  /** How many datasets `listOpenDatasets` lists in all. */
  countOpenDatasets(): Promise<number>;
}
