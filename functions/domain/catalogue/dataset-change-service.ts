import type { DatasetChange, DatasetChangeList, DatasetChangeQuery } from '../../../schemas/index.ts';
import type { CatalogueStore, DatasetRecord } from '../../ports/catalogue.ts';
import type { ChangeDecision, DatasetChangeStore } from '../../ports/dataset-changes.ts';
import type { Clock } from '../../ports/time.ts';
import { AuditTrail, actorOf } from '../audit/audit-trail.ts';
import { ForbiddenError, StateConflictError } from '../errors.ts';
import { isOfficer, sameActor, type Principal } from '../model.ts';
import { changeActorOf, datasetEditOf, followOpenness } from './catalogue-service.ts';
import { DatasetChangeNotFoundError, DatasetNotFoundError } from './errors.ts';

export interface DatasetChangeDeps {
  readonly changes: DatasetChangeStore;
  readonly store: CatalogueStore;
  readonly audit: AuditTrail;
  readonly clock: Clock;
}

const STALE_REASON = 'the dataset changed after the request: the publisher must ask again against the dataset as it is now';

/** The officers' side of privacy downgrades: inbox, approval (four eyes) and rejection; the requester may withdraw. */
export class DatasetChangeService {
  constructor(private readonly deps: DatasetChangeDeps) {}

  async list(principal: Principal, query: DatasetChangeQuery): Promise<DatasetChangeList> {
    const page = { ...(query.cursor ? { cursor: query.cursor } : {}), ...(query.limit ? { limit: query.limit } : {}) };
    if (isOfficer(principal)) return this.deps.changes.listByState(query.state, page);
    const mine = await this.deps.changes.listByRequester(principal.partnerId, page);
    return { ...mine, items: mine.items.filter((c) => !query.state || c.state === query.state) };
  }

  async get(principal: Principal, id: string): Promise<DatasetChange> {
    return this.visible(principal, id);
  }

  /** Applies the whole requested edit at once, only if the dataset is still as it was when asked. */
  async approve(principal: Principal, id: string, reason: string | undefined): Promise<DatasetChange> {
    const change = await this.load(id);
    if (sameActor(change.requestedBy.keyId, principal)) {
      throw new ForbiddenError('four eyes: the key or person that requested this change cannot approve it; another officer must', 'four_eyes');
    }
    const dataset = await this.dataset(change.datasetId);
    const at = this.deps.clock.now().toISOString();
    // The store applies it only if the dataset's updatedAt is still the request's and the request still pending.
    const edit = datasetEditOf(this.deps.audit, principal, dataset, change.patch, at, { changeId: change.id });
    const decision: ChangeDecision = { to: 'approved', by: changeActorOf(principal), at, ...(reason ? { reason } : {}) };
    const approvedEvent = this.deps.audit.record({
      actor: actorOf(principal),
      action: 'dataset.change.approved',
      subject: change.datasetId,
      parties: [dataset.ownerId],
      data: { changeId: change.id, requestedBy: change.requestedBy, downgrades: change.downgrades.map(({ description: _words, ...d }) => d), ...(reason ? { reason } : {}) },
    });
    let approved: DatasetChange;
    try {
      approved = await this.deps.changes.approve(change, decision, edit.write, [approvedEvent, edit.event]);
    } catch (error) {
      if (error instanceof StateConflictError && error.code === 'dataset_changed') return this.staleAndRefuse(principal, change, dataset);
      throw error;
    }
    await followOpenness(this.deps.store, edit);
    return approved;
  }

  async reject(principal: Principal, id: string, reason: string): Promise<DatasetChange> {
    return this.close(principal, await this.load(id), 'rejected', reason);
  }

  async withdraw(principal: Principal, id: string): Promise<DatasetChange> {
    const change = await this.load(id);
    // Only the requesting partner withdraws; anyone else, officers included, learns nothing here.
    if (change.requestedBy.partnerId !== principal.partnerId) throw new DatasetChangeNotFoundError(id);
    return this.close(principal, change, 'withdrawn', undefined);
  }

  /** A request approved against another dataset than the one it was made on would approve what nobody reviewed. */
  private async staleAndRefuse(principal: Principal, change: DatasetChange, dataset: DatasetRecord): Promise<never> {
    try {
      await this.close(principal, change, 'stale', STALE_REASON, dataset);
    } catch (error) {
      if (!(error instanceof StateConflictError)) throw error;
    }
    throw new StateConflictError(`dataset ${change.datasetId} changed after change request ${change.id} was made; the request is now stale and the publisher must ask again`, 'dataset_changed');
  }

  private async close(principal: Principal, change: DatasetChange, to: ChangeDecision['to'], reason: string | undefined, known?: DatasetRecord): Promise<DatasetChange> {
    const dataset = known ?? (await this.dataset(change.datasetId));
    return this.deps.changes.close(
      change,
      { to, by: changeActorOf(principal), at: this.deps.clock.now().toISOString(), ...(reason ? { reason } : {}) },
      this.deps.audit.record({
        actor: actorOf(principal),
        action: `dataset.change.${to}`,
        subject: change.datasetId,
        parties: [dataset.ownerId],
        data: { changeId: change.id, requestedBy: change.requestedBy, ...(reason ? { reason } : {}) },
      }),
    );
  }

  /** Officers see every request; a partner sees the ones it made; anyone else gets a 404. */
  private async visible(principal: Principal, id: string): Promise<DatasetChange> {
    const change = await this.load(id);
    if (!isOfficer(principal) && change.requestedBy.partnerId !== principal.partnerId) throw new DatasetChangeNotFoundError(id);
    return change;
  }

  private async load(id: string): Promise<DatasetChange> {
    const change = await this.deps.changes.get(id);
    if (!change) throw new DatasetChangeNotFoundError(id);
    return change;
  }

  private async dataset(id: string): Promise<DatasetRecord> {
    const dataset = await this.deps.store.getDataset(id);
    if (!dataset) throw new DatasetNotFoundError(id);
    return dataset;
  }
}
