import type { JsonFeed } from '../../../schemas/index.ts';
import type { CatalogueStore } from '../../ports/catalogue.ts';
import type { LicenceStore, StoredLicence } from '../../ports/licensing.ts';
import { ForbiddenError, NotFoundError } from '../errors.ts';
import type { Principal } from '../model.ts';

/** The newest versions a pull feed lists. */
const FEED_ITEMS = 50;
const MAX_LICENCE_PAGES = 20;

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
    return {
      version: 'https://jsonfeed.org/version/1.1',
      title: `${dataset.title} — Comptoir`,
      feed_url: `${baseUrl}/v1/feeds/${datasetId}`,
      home_page_url: `${baseUrl}/v1/datasets/${datasetId}`,
      items: versions.items
        .filter((v) => v.status === 'published' && v.publishedAt && v.sha256)
        .map((v) => ({
          id: `${datasetId}/v${v.version}`,
          url: `${baseUrl}/v1/datasets/${datasetId}/versions/${v.version}`,
          title: `${dataset.title}, version ${v.version}`,
          content_text: `Version ${v.version} published ${v.publishedAt}. Download it with POST /v1/licences/${licenceIds[0]}/access {"purpose": …, "version": ${v.version}}.`,
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
