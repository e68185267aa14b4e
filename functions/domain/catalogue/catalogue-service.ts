import type { CreateDatasetRequest, Dataset, DatasetList, DatasetQuery, UpdateDatasetRequest } from '../../../schemas/index.ts';
import type { CatalogueStore, DatasetRecord } from '../../ports/catalogue.ts';
import type { ContractStore } from '../../ports/contracts.ts';
import type { IdentityStore } from '../../ports/identity.ts';
import type { Clock, IdGenerator } from '../../ports/time.ts';
import { AuditTrail, actorOf } from '../audit/audit-trail.ts';
import { BusinessRuleError, UnauthenticatedError } from '../errors.ts';
import { isOfficer, type Principal } from '../model.ts';
import { DatasetNotFoundError, NotDatasetOwnerError } from './errors.ts';
import { queryTokens, searchTextOf } from './search-text.ts';

export interface CatalogueDeps {
  readonly store: CatalogueStore;
  readonly identity: IdentityStore;
  readonly contracts: ContractStore;
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

  async update(principal: Principal, id: string, changes: UpdateDatasetRequest): Promise<Dataset> {
    const current = await this.load(id);
    if (current.ownerId !== principal.partnerId) throw new NotDatasetOwnerError('edit its metadata');
    const updatedAt = this.deps.clock.now().toISOString();
    const updated: DatasetRecord = { ...current, ...changes, updatedAt };
    assertOpenWithoutPersonalData(updated);
    const reclassified = changes.classification !== undefined && changes.classification !== current.classification;
    await this.deps.store.updateDataset(
      id,
      { ...changes, updatedAt },
      searchTextOfDataset(updated),
      current.updatedAt,
      this.deps.audit.record({
        actor: actorOf(principal),
        action: 'dataset.updated',
        subject: id,
        parties: [current.ownerId],
        data: { changed: Object.keys(changes).sort(), ...(reclassified ? { classification: { from: current.classification, to: updated.classification } } : {}) },
      }),
    );
    // Openness follows the classification: open opens every published version, leaving open closes those it had opened.
    if (reclassified) await this.deps.store.reconcileOpenness(id, updated.classification === 'open');
    return datasetView(updated);
  }

  /** The stored dataset, or a 404. */
  async load(id: string): Promise<DatasetRecord> {
    const dataset = await this.deps.store.getDataset(id);
    if (!dataset) throw new DatasetNotFoundError(id);
    return dataset;
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
