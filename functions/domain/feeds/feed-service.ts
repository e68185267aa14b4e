import type { JsonFeed } from '../../../schemas/index.ts';
import type { CatalogueStore } from '../../ports/catalogue.ts';
import type { LicenceStore, StoredLicence } from '../../ports/licensing.ts';
import { ForbiddenError, NotFoundError } from '../errors.ts';
import type { Principal } from '../model.ts';
import { consolePageUrl } from '../console-links.ts';

/** The newest versions a pull feed lists. */
const FEED_ITEMS = 50;
const MAX_LICENCE_PAGES = 20;
// The platform serves French territories: the feed speaks French, with instants in UTC as published.
const PUBLISHED_ON = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });

/** Pull feeds (JSON Feed 1.1) for licensees that cannot receive webhooks. */
export class FeedService {
  constructor(private readonly deps: { readonly licences: LicenceStore; readonly catalogue: CatalogueStore }) {}

  async feedOf(principal: Principal, datasetId: string, baseUrl: string): Promise<JsonFeed> {
    const dataset = await this.deps.catalogue.getDataset(datasetId);
    if (!dataset) throw new NotFoundError('dataset', datasetId);
    const covering = (await this.activeLicencesOf(principal.partnerId)).filter((l) => l.datasetId === datasetId);
    if (covering.length === 0) throw new ForbiddenError(`no active licence of yours covers dataset ${datasetId}`, 'no_active_licence');
    const versions = await this.deps.catalogue.listVersions(datasetId, { limit: FEED_ITEMS });
    const licenceIds = covering.map((l) => l.id);
    // Readers link to the console's dataset page: the API's own URLs need a key a browser does not send.
    const page = consolePageUrl(baseUrl, `/datasets/${encodeURIComponent(datasetId)}`);
    return {
      version: 'https://jsonfeed.org/version/1.1',
      title: `${dataset.title} — nouvelles versions`,
      description: `Versions publiées de « ${dataset.title} » que couvrent vos licences sur la plateforme de données territoriales.`,
      language: 'fr',
      home_page_url: page,
      feed_url: `${baseUrl}/v1/feeds/${encodeURIComponent(datasetId)}`,
      items: versions.items
        .filter((v) => v.status === 'published' && v.publishedAt && v.sha256)
        .map((v) => ({
          id: `${datasetId}/v${v.version}`,
          url: page,
          title: `${dataset.title}, version ${v.version}`,
          content_text: `Version ${v.version} publiée le ${PUBLISHED_ON.format(new Date(v.publishedAt!))} UTC. Obtenez-la avec POST /v1/licences/${licenceIds[0]}/access {"purpose": …, "version": ${v.version}}.`,
          date_published: v.publishedAt!,
          _comptoir: { datasetId, version: v.version, sha256: v.sha256!, licenceIds },
        })),
    };
  }

  private async activeLicencesOf(partnerId: string): Promise<StoredLicence[]> {
    const out: StoredLicence[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_LICENCE_PAGES; page++) {
      const p = await this.deps.licences.listByParty(partnerId, { limit: 100, ...(cursor ? { cursor } : {}) });
      out.push(...p.items.filter((l) => l.state === 'active' && l.licensee.id === partnerId));
      cursor = p.cursor;
      if (!cursor) break;
    }
    return out;
  }
}
