import { routes } from '../../schemas/routes.ts';
import { consolePageUrl } from '../domain/console-links.ts';
import { dispatch } from '../http/dispatch.ts';
import { linkedDataReply } from '../http/linked-data.ts';
import { HttpReply } from '../http/responses.ts';
import { implement } from '../http/route-handler.ts';
import { publicBaseUrl } from '../wiring/public-url.ts';
import { openDataService as open } from '../wiring/open-data.ts';
import { registerService as register } from '../wiring/register.ts';

export const openDatasets = implement(routes.openDatasets, ({ query }) => open.list(query));
export const openDataset = implement(routes.openDataset, ({ params }) => open.get(params.id));
export const openDownload = implement(routes.openDownload, async ({ params, query }) => HttpReply.redirect(await open.downloadUrl(params.id, query.version)));
export const openVersionDownload = implement(routes.openVersionDownload, async ({ params }) => HttpReply.redirect(await open.downloadUrl(params.id, params.n)));
export const openCatalog = implement(routes.openCatalog, async ({ query }) => HttpReply.json(await open.catalog(publicBaseUrl, query), 'application/ld+json; charset=utf-8', 300));
export const openRegister = implement(routes.openRegister, ({ query }) => register.list(query));
export const openRegisterJsonLd = implement(routes.openRegisterJsonLd, async ({ query }) => HttpReply.json(await register.jsonLd(publicBaseUrl, query), 'application/ld+json; charset=utf-8', 60));
export const openRegisterCsv = implement(routes.openRegisterCsv, async ({ query }) => {
  const page = await register.csv(publicBaseUrl, query);
  return new HttpReply(200, { 'content-type': 'text/csv; charset=utf-8', 'cache-control': 'public, max-age=60', ...(page.next ? { link: `<${page.next}>; rel="next"` } : {}) }, page.csv);
});
export const datasetUri = implement(routes.datasetUri, ({ headers, params }) =>
  linkedDataReply(headers.accept, () => open.describeDataset(publicBaseUrl, params.id), consolePageUrl(publicBaseUrl, `/datasets/${encodeURIComponent(params.id)}`)),
);
// The console's partner page is for officers and the partner itself: browsers get the description too.
export const partnerUri = implement(routes.partnerUri, ({ headers, params }) => linkedDataReply(headers.accept, () => open.describePartner(publicBaseUrl, params.id)));
export const platformUri = implement(routes.platformUri, ({ headers }) => linkedDataReply(headers.accept, () => open.describePlatform(publicBaseUrl), consolePageUrl(publicBaseUrl)));

/** Lambda entry of the `open` function group (no authorizer). */
export const handler = dispatch('open', { openDatasets, openDataset, openDownload, openVersionDownload, openCatalog, openRegister, openRegisterJsonLd, openRegisterCsv, datasetUri, partnerUri, platformUri });
