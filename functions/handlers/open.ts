import { routes } from '../../schemas/routes.ts';
import { dispatch } from '../http/dispatch.ts';
import { HttpReply, baseUrlOf } from '../http/responses.ts';
import { implement } from '../http/route-handler.ts';
import { openDataService as open } from '../wiring/open-data.ts';

export const openDatasets = implement(routes.openDatasets, ({ query }) => open.list(query));
export const openDataset = implement(routes.openDataset, ({ params }) => open.get(params.id));
export const openDownload = implement(routes.openDownload, async ({ params, query }) => HttpReply.redirect(await open.downloadUrl(params.id, query.version)));
export const openVersionDownload = implement(routes.openVersionDownload, async ({ params }) => HttpReply.redirect(await open.downloadUrl(params.id, params.n)));
export const openCatalog = implement(routes.openCatalog, async ({ headers }) => HttpReply.json(await open.catalog(baseUrlOf(headers)), 'application/ld+json; charset=utf-8', 300));

/** Lambda entry of the `open` function group (no authorizer). */
export const handler = dispatch('open', { openDatasets, openDataset, openDownload, openVersionDownload, openCatalog });
