import type { Dataset, DatasetVersion, DcatCatalog, LinkedDataset, LinkedPartner, LinkedPlatform, Partner } from '../../../schemas/index.ts';
import type { CatalogueStore } from '../../ports/catalogue.ts';
import type { IdentityStore } from '../../ports/identity.ts';
import type { ObjectStore } from '../../ports/object-store.ts';
import type { Clock } from '../../ports/time.ts';
import { AuditTrail, systemActor } from '../audit/audit-trail.ts';
import type { Page, PageRequest } from '../model.ts';
import { datasetView } from './catalogue-service.ts';
import { PartnerNotFoundError } from '../errors.ts';
import { buildDcatCatalog, buildDcatDataset, type DcatContact } from './dcat.ts';
import { DatasetNotFoundError, VersionNotFoundError } from './errors.ts';
import { describePartner, describePlatform } from './linked-agents.ts';
import { versionView } from './versions-service.ts';

const DOWNLOAD_URL_SECONDS = 300;
/** Datasets on a page of the harvestable catalogue unless `?limit=` asks for fewer. */
const CATALOG_PAGE = 100;
const EXTENSION = { csv: 'csv', json: 'json', geojson: 'geojson', file: 'bin' } as const;

/** An open dataset as anyone sees it, with its open versions. */
export interface OpenDataset extends Dataset {
  readonly versions: DatasetVersion[];
}

/** Open data for anonymous users: listing, downloads, the DCAT-AP catalogue, and opening after a delay. */
export class OpenDataService {
  constructor(private readonly deps: { store: CatalogueStore; objects: ObjectStore; identity: IdentityStore; audit: AuditTrail; clock: Clock }) {}

  async list(page: PageRequest): Promise<Page<Dataset>> {
    const pointers = await this.deps.store.listOpenDatasets(page);
    const datasets = await this.deps.store.getDatasets(pointers.items.map((p) => p.datasetId));
    return { items: datasets.map(datasetView), ...(pointers.cursor ? { cursor: pointers.cursor } : {}) };
  }

  async get(id: string): Promise<OpenDataset> {
    const versions = await this.openVersions(id);
    if (versions.length === 0) throw new DatasetNotFoundError(id);
    const dataset = await this.deps.store.getDataset(id);
    if (!dataset) throw new DatasetNotFoundError(id);
    return { ...datasetView(dataset), versions: versions.map(versionView) };
  }

  /** A short-lived URL to the bytes of an open version (the latest when `n` is absent). */
  async downloadUrl(id: string, n: number | undefined): Promise<string> {
    const versions = await this.openVersions(id);
    const version = n === undefined ? versions[0] : versions.find((v) => v.version === n);
    if (!version?.objectKey) throw n === undefined ? new DatasetNotFoundError(id) : new VersionNotFoundError(id, n);
    const dataset = await this.deps.store.getDataset(id);
    const name = `${id}-v${version.version}.${EXTENSION[dataset?.format ?? 'file']}`;
    return (await this.deps.objects.presignGet(version.objectKey, DOWNLOAD_URL_SECONDS, name)).url;
  }

  /** One page of the DCAT-AP catalogue; `hydra:next` names the following page unless this one is the last. */
  async catalog(baseUrl: string, page: PageRequest): Promise<DcatCatalog> {
    const limit = page.limit ?? CATALOG_PAGE;
    const pointers = await this.deps.store.listOpenDatasets({ limit, ...(page.cursor ? { cursor: page.cursor } : {}) });
    // DynamoDB may hand a cursor back after a page that happened to end the list: the last page names no next one.
    const more = pointers.cursor !== undefined && (await this.deps.store.listOpenDatasets({ limit: 1, cursor: pointers.cursor })).items.length > 0;
    const [datasets, totalItems, collectivity] = await Promise.all([
      this.deps.store.getDatasets(pointers.items.map((p) => p.datasetId)),
      this.deps.store.countOpenDatasets(),
      this.collectivity(),
    ]);
    const entries = await Promise.all(datasets.map(async (d) => ({ dataset: datasetView(d), versions: (await this.openVersions(d.id)).map(versionView) })));
    return buildDcatCatalog({
      baseUrl,
      catalog: {
        title: `Données ouvertes — ${collectivity?.name ?? 'territoire'}`,
        description: `Catalogue des données ouvertes publiées sur la plateforme de données territoriales de ${collectivity?.name ?? 'la collectivité'}.`,
        publisher: { id: collectivity?.id ?? 'territory', name: collectivity?.name ?? 'Collectivité' },
        ...(collectivity ? { contact: contactOf(collectivity) } : {}),
      },
      datasets: entries,
      page: { limit, ...(page.cursor ? { cursor: page.cursor } : {}), ...(more ? { nextCursor: pointers.cursor } : {}), totalItems },
    });
  }

  /** What an open dataset's URI resolves to: its DCAT-AP node; a dataset that is not open is not found. */
  async describeDataset(baseUrl: string, id: string): Promise<LinkedDataset> {
    const [dataset, collectivity] = await Promise.all([this.get(id), this.collectivity()]);
    const { versions, ...metadata } = dataset;
    return buildDcatDataset({ baseUrl, entry: { dataset: metadata, versions }, ...(collectivity ? { contact: contactOf(collectivity) } : {}) });
  }

  /** What a partner's URI resolves to: its name, which every harvester of the catalogue already reads. */
  async describePartner(baseUrl: string, id: string): Promise<LinkedPartner> {
    const partner = await this.deps.identity.getPartner(id);
    if (!partner) throw new PartnerNotFoundError(id);
    return describePartner(baseUrl, partner);
  }

  /** What the platform's URI resolves to. */
  async describePlatform(baseUrl: string): Promise<LinkedPlatform> {
    return describePlatform(baseUrl, await this.collectivity());
  }

  /** The schedule's job: versions whose `openFrom` has passed become open data. */
  async openDueVersions(now: Date): Promise<number> {
    let opened = 0;
    for (;;) {
      const due = await this.deps.store.versionsDueToOpen(now.toISOString(), 50);
      if (due.length === 0) return opened;
      for (const { datasetId, version: n } of due) {
        const version = await this.deps.store.getVersion(datasetId, n);
        const dataset = await this.deps.store.getDataset(datasetId);
        if (!version || !dataset) continue;
        // Fields flagged personal since publication keep the version closed: opening it is the officer's call.
        if (dataset.schema?.fields.some((f) => f.personal)) {
          await this.deps.store.blockOpening(
            version,
            'personal_fields',
            this.deps.audit.record({ actor: systemActor('schedule'), action: 'dataset.version.open_blocked', subject: datasetId, parties: [dataset.ownerId], data: { version: n, reason: 'the schema has personal fields: an officer must decide' } }),
          );
          continue;
        }
        await this.deps.store.openVersion(
          version,
          dataset.updatedAt,
          this.deps.audit.record({ actor: systemActor('schedule'), action: 'dataset.version.opened', subject: datasetId, parties: [dataset.ownerId], data: { version: n, openFrom: version.openFrom, licence: dataset.licence ?? 'etalab-2.0' } }),
        );
        opened += 1;
      }
    }
  }

  private async collectivity(): Promise<Partner | undefined> {
    const territory = await this.deps.identity.territory();
    return territory ? this.deps.identity.getPartner(territory.collectivityId) : undefined;
  }

  private async openVersions(datasetId: string) {
    const found = [];
    let cursor: string | undefined;
    do {
      const page = await this.deps.store.listVersions(datasetId, { limit: 100, ...(cursor ? { cursor } : {}) });
      found.push(...page.items.filter((v) => v.status === 'published' && v.open));
      cursor = page.cursor;
    } while (cursor);
    return found;
  }
}

/** The collectivity's contact address, given when the territory was bootstrapped, is the contact point of its open data. */
function contactOf(collectivity: Partner): DcatContact {
  return { name: collectivity.name, email: collectivity.contactEmail };
}
