import type { ChangeActor, DatasetChange, DatasetChangeState } from '../../schemas/index.ts';
import type { PendingAuditEvent } from '../domain/audit/audit-trail.ts';
import type { Page, PageRequest } from '../domain/model.ts';
import type { DatasetMetadataChanges } from './catalogue.ts';

/** How a pending change request ends. */
export interface ChangeDecision {
  readonly to: Exclude<DatasetChangeState, 'pending'>;
  readonly by: ChangeActor;
  readonly at: string;
  readonly reason?: string;
}

/** The dataset write an approval carries out, conditional on the dataset being as it was requested. */
export interface ApprovedEdit {
  readonly changes: DatasetMetadataChanges;
  readonly searchText: string;
}

/** Persistence of dataset change requests (edits that lower privacy, held for an officer). */
export interface DatasetChangeStore {
  /** Writes a pending request with the requester's pointer and its event. */
  create(change: DatasetChange, event: PendingAuditEvent): Promise<void>;
  get(id: string): Promise<DatasetChange | undefined>;
  listByState(state: DatasetChangeState | undefined, page: PageRequest): Promise<Page<DatasetChange>>;
  listByRequester(partnerId: string, page: PageRequest): Promise<Page<DatasetChange>>;
  /** In one transaction: the dataset edit (if `updatedAt` is still `baseUpdatedAt`), the request approved (if still pending), the events. */
  approve(change: DatasetChange, decision: ChangeDecision, edit: ApprovedEdit, events: readonly PendingAuditEvent[]): Promise<DatasetChange>;
  /** Ends a pending request without touching the dataset; `StateConflictError` if it is no longer pending. */
  close(change: DatasetChange, decision: ChangeDecision, event: PendingAuditEvent): Promise<DatasetChange>;
}
