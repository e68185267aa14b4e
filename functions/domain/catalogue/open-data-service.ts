import type { Dataset, DatasetVersion } from '../../../schemas/index.ts';
import type { CatalogueStore } from '../../ports/catalogue.ts';
import type { IdentityStore } from '../../ports/identity.ts';
import type { ObjectStore } from '../../ports/object-store.ts';
import type { Clock } from '../../ports/time.ts';
import { AuditTrail, systemActor } from '../audit/audit-trail.ts';
import type { Page, PageRequest } from '../model.ts';
import { datasetView } from './catalogue-service.ts';
import { buildDcatCatalog } from './dcat.ts';
import { DatasetNotFoundError, VersionNotFoundError } from './errors.ts';
import { versionView } from './versions-service.ts';

const DOWNLOAD_URL_SECONDS = 300;
/** The harvestable catalogue lists at most this many datasets. */
const CATALOG_LIMIT = 1000;
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

  async catalog(baseUrl: string): Promise<Record<string, unknown>> {
    const pointers = await this.deps.store.listOpenDatasets({ limit: 100 });
    const ids = pointers.items.map((p) => p.datasetId);
    let cursor = pointers.cursor;
    while (cursor && ids.length < CATALOG_LIMIT) {
      const next = await this.deps.store.listOpenDatasets({ limit: 100, cursor });
      ids.push(...next.items.map((p) => p.datasetId));
      cursor = next.cursor;
    }
    const datasets = await this.deps.store.getDatasets(ids);
    const entries = await Promise.all(datasets.map(async (d) => ({ dataset: datasetView(d), versions: (await this.openVersions(d.id)).map(versionView) })));
    const territory = await this.deps.identity.territory();
    const collectivity = territory ? await this.deps.identity.getPartner(territory.collectivityId) : undefined;
    const modified = entries.map((e) => e.dataset.updatedAt).sort().at(-1) ?? this.deps.clock.now().toISOString();
    return buildDcatCatalog({
      baseUrl,
      catalog: {
        title: `Données ouvertes — ${collectivity?.name ?? 'territoire'}`,
        description: `Catalogue des données ouvertes publiées sur la plateforme de données territoriales de ${collectivity?.name ?? 'la collectivité'}.`,
        publisher: { id: collectivity?.id ?? 'territory', name: collectivity?.name ?? 'Collectivité' },
      },
      datasets: entries,
      modified,
    });
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
