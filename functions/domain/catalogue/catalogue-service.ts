import type { ChangeActor, CreateDatasetRequest, Dataset, DatasetChange, DatasetList, DatasetQuery, PrivacyDowngrade, UpdateDatasetRequest } from '../../../schemas/index.ts';
import type { CatalogueStore, DatasetRecord } from '../../ports/catalogue.ts';
import type { ContractStore } from '../../ports/contracts.ts';
import type { DatasetChangeStore } from '../../ports/dataset-changes.ts';
import type { IdentityStore } from '../../ports/identity.ts';
import type { Clock, IdGenerator } from '../../ports/time.ts';
import { AuditTrail, actorOf } from '../audit/audit-trail.ts';
import { BusinessRuleError, UnauthenticatedError } from '../errors.ts';
import { actorIdOf, isOfficer, type Principal } from '../model.ts';
import { DatasetNotFoundError, NotDatasetOwnerError } from './errors.ts';
import { privacyDowngradesOf } from './privacy-downgrades.ts';
import { queryTokens, searchTextOf } from './search-text.ts';

export interface CatalogueDeps {
  readonly store: CatalogueStore;
  readonly identity: IdentityStore;
  readonly contracts: ContractStore;
  /** Where edits that lower privacy wait for an officer. */
  readonly changes: DatasetChangeStore;
  readonly audit: AuditTrail;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

const searchTextOfDataset = (d: Pick<Dataset, 'title' | 'description' | 'keywords'>) => searchTextOf([d.title, d.description, ...d.keywords]);

/** The public view of a stored dataset (no owner internals). */
export function datasetView(d: DatasetRecord): Dataset {
  const { ownerId: _owner, nextVersion: _next, ...view } = d;
  return view;
}

/** Open data is published to anyone at once: personal fields must be dropped from the schema first. */
function assertOpenWithoutPersonalData(d: Pick<Dataset, 'classification' | 'schema'>): void {
  const personal = d.schema?.fields.filter((f) => f.personal).map((f) => f.name) ?? [];
  if (d.classification === 'open' && personal.length) {
    throw new BusinessRuleError(`an open dataset cannot carry personal fields (${personal.join(', ')})`, 'personal_data_not_open');
  }
}

/** The key behind a change request or its decision. */
// `keyId` names the actor (the person behind a session or bound key) so that four eyes compare people.
export const changeActorOf = (p: Principal): ChangeActor => ({ partnerId: p.partnerId, keyId: actorIdOf(p), role: p.role });

/** An edit's outcome: applied at once, or held as a change request for an officer. */
export type DatasetEditOutcome = { readonly applied: Dataset } | { readonly pending: DatasetChange };

/** The write of a metadata edit by `actor`, built once for direct edits and approved change requests alike. */
export function datasetEditOf(audit: AuditTrail, actor: Principal, current: DatasetRecord, changes: UpdateDatasetRequest, at: string, context: Record<string, unknown> = {}) {
  const updated: DatasetRecord = { ...current, ...changes, updatedAt: at };
  const reclassified = changes.classification !== undefined && changes.classification !== current.classification;
  return {
    updated,
    reclassified,
    write: { changes: { ...changes, updatedAt: at }, searchText: searchTextOfDataset(updated) },
    event: audit.record({
      actor: actorOf(actor),
      action: 'dataset.updated',
      subject: current.id,
      parties: [current.ownerId],
      data: { changed: Object.keys(changes).sort(), ...(reclassified ? { classification: { from: current.classification, to: updated.classification } } : {}), ...context },
    }),
  };
}

/** Openness follows the classification: open opens every published version, leaving open closes those it had opened. */
export async function followOpenness(store: CatalogueStore, edit: ReturnType<typeof datasetEditOf>): Promise<void> {
  if (edit.reclassified) await store.reconcileOpenness(edit.updated.id, edit.updated.classification === 'open');
}

/** Dataset metadata: registration, search and edits. */
export class CatalogueService {
  constructor(private readonly deps: CatalogueDeps) {}

  async create(principal: Principal, req: CreateDatasetRequest): Promise<Dataset> {
    const publisher = await this.deps.identity.getPartner(principal.partnerId);
    if (!publisher) throw new UnauthenticatedError();
    if (req.obligation) await this.assertOperatorOf(principal, req.obligation);
    assertOpenWithoutPersonalData(req);
    const now = this.deps.clock.now().toISOString();
    const dataset: DatasetRecord = {
      id: this.deps.ids.next('dst'),
      title: req.title,
      description: req.description,
      theme: req.theme,
      keywords: req.keywords,
      ...(req.spatial ? { spatial: req.spatial } : {}),
      classification: req.classification,
      ...(req.licence ? { licence: req.licence } : {}),
      format: req.format,
      ...(req.schema ? { schema: req.schema } : {}),
      ...(req.obligation ? { obligation: req.obligation } : {}),
      publisher: { id: publisher.id, name: publisher.name, kind: publisher.kind },
      createdAt: now,
      updatedAt: now,
      ownerId: publisher.id,
      nextVersion: 0,
    };
    await this.deps.store.createDataset(
      dataset,
      searchTextOfDataset(dataset),
      this.deps.audit.record({
        actor: actorOf(principal),
        action: 'dataset.created',
        subject: dataset.id,
        parties: [dataset.ownerId],
        data: { title: dataset.title, theme: dataset.theme, classification: dataset.classification, format: dataset.format, ...(req.obligation ? { obligation: req.obligation } : {}) },
      }),
    );
    return datasetView(dataset);
  }

  /** Metadata of any dataset is visible to every partner. */
  async get(_principal: Principal, id: string): Promise<Dataset> {
    return datasetView(await this.load(id));
  }

  async search(_principal: Principal, query: DatasetQuery): Promise<DatasetList> {
    const page = await this.deps.store.searchDatasets({
      tokens: queryTokens(query.q),
      ...(query.theme ? { theme: query.theme } : {}),
      ...(query.classification ? { classification: query.classification } : {}),
      ...(query.cursor ? { cursor: query.cursor } : {}),
      ...(query.limit ? { limit: query.limit } : {}),
    });
    return { items: page.items.map(datasetView), ...(page.cursor ? { cursor: page.cursor } : {}) };
  }

  /** Applies the edit, or holds it whole as a change request when it lowers privacy in any way. */
  async update(principal: Principal, id: string, changes: UpdateDatasetRequest): Promise<DatasetEditOutcome> {
    const current = await this.load(id);
    if (current.ownerId !== principal.partnerId) throw new NotDatasetOwnerError('edit its metadata');
    assertOpenWithoutPersonalData({ ...current, ...changes });
    const downgrades = privacyDowngradesOf(current, { ...current, ...changes });
    if (downgrades.length) return { pending: await this.requestChange(principal, current, changes, downgrades) };
    const edit = datasetEditOf(this.deps.audit, principal, current, changes, this.deps.clock.now().toISOString());
    await this.deps.store.updateDataset(id, edit.write.changes, edit.write.searchText, current.updatedAt, edit.event);
    await followOpenness(this.deps.store, edit);
    return { applied: datasetView(edit.updated) };
  }

  /** The stored dataset, or a 404. */
  async load(id: string): Promise<DatasetRecord> {
    const dataset = await this.deps.store.getDataset(id);
    if (!dataset) throw new DatasetNotFoundError(id);
    return dataset;
  }

  /** Nothing changes on the dataset: the request waits, against the dataset as it is now, for an officer. */
  private async requestChange(principal: Principal, current: DatasetRecord, patch: UpdateDatasetRequest, downgrades: PrivacyDowngrade[]): Promise<DatasetChange> {
    const change: DatasetChange = {
      id: this.deps.ids.next('dsc'),
      datasetId: current.id,
      datasetTitle: current.title,
      patch,
      downgrades,
      state: 'pending',
      requestedBy: changeActorOf(principal),
      requestedAt: this.deps.clock.now().toISOString(),
      baseUpdatedAt: current.updatedAt,
    };
    await this.deps.changes.create(
      change,
      this.deps.audit.record({
        actor: actorOf(principal),
        action: 'dataset.change.requested',
        subject: current.id,
        parties: [current.ownerId],
        data: { changeId: change.id, changed: Object.keys(patch).sort(), downgrades: downgrades.map(({ description: _words, ...d }) => d) },
      }),
    );
    return change;
  }

  private async assertOperatorOf(principal: Principal, ref: { contractId: string; obligationId: string }): Promise<void> {
    const contract = await this.deps.contracts.getContract(ref.contractId);
    const visible = contract && (isOfficer(principal) || contract.operatorId === principal.partnerId);
    if (!visible) throw new BusinessRuleError(`contract ${ref.contractId} is not one of yours`, 'unknown_contract');
    if (contract.operatorId !== principal.partnerId) throw new BusinessRuleError('only the contract\'s operator delivers under its obligations', 'not_the_operator');
    if (!contract.obligations.some((o) => o.id === ref.obligationId)) {
      throw new BusinessRuleError(`contract ${ref.contractId} has no obligation ${ref.obligationId}`, 'unknown_obligation');
    }
  }
}
