import { routes } from '../../schemas/routes.ts';
import { dispatch } from '../http/dispatch.ts';
import { implement } from '../http/route-handler.ts';
import { catalogueService as catalogue, versionsService as versions } from '../wiring/catalogue.ts';

export const createDataset = implement(routes.createDataset, ({ principal, body }) => catalogue.create(principal, body));
export const listDatasets = implement(routes.listDatasets, ({ principal, query }) => catalogue.search(principal, query));
export const getDataset = implement(routes.getDataset, ({ principal, params }) => catalogue.get(principal, params.id));
export const updateDataset = implement(routes.updateDataset, ({ principal, params, body }) => catalogue.update(principal, params.id, body));
export const createVersion = implement(routes.createVersion, ({ principal, params, body }) => versions.create(principal, params.id, body));
export const listVersions = implement(routes.listVersions, ({ principal, params, query }) => versions.list(principal, params.id, query));
export const getVersion = implement(routes.getVersion, ({ principal, params }) => versions.get(principal, params.id, params.n));
export const partUrls = implement(routes.partUrls, ({ principal, params, body }) => versions.partUrls(principal, params.id, params.n, body.partNumbers));
export const completeUpload = implement(routes.completeUpload, ({ principal, params, body }) => versions.complete(principal, params.id, params.n, body));
export const purgeVersion = implement(routes.purgeVersion, ({ principal, params, body }) => versions.purge(principal, params.id, params.n, body.reason));

/** Lambda entry of the `datasets` function group. */
export const handler = dispatch('datasets', {
  createDataset, listDatasets, getDataset, updateDataset, createVersion, listVersions, getVersion, partUrls, completeUpload, purgeVersion,
});
