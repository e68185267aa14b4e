import { routes } from '../../schemas/routes.ts';
import { dispatch } from '../http/dispatch.ts';
import { HttpReply } from '../http/responses.ts';
import { implement } from '../http/route-handler.ts';
import type { DatasetEditOutcome } from '../domain/catalogue/catalogue-service.ts';
import { InvalidRequestError } from '../domain/errors.ts';
import { catalogueService as catalogue, datasetChangeService as changes, versionsService as versions } from '../wiring/catalogue.ts';

/** An edit applied is 200 with the dataset; an edit held for an officer is 202 with its change request. */
const editReply = (e: DatasetEditOutcome) => ('pending' in e ? HttpReply.status(202, e.pending) : e.applied);

/** The purge reason, from `?reason=` (DELETE bodies get lost on the way) or the older JSON body. */
function reasonOf(fromQuery: string | undefined, fromBody: string | undefined): string {
  if (fromQuery !== undefined && fromBody !== undefined && fromQuery !== fromBody) throw new InvalidRequestError('give the reason once: in ?reason= or in the body');
  const reason = fromQuery ?? fromBody;
  if (reason === undefined) throw new InvalidRequestError('a reason is required: DELETE …/versions/{n}?reason=…', { details: [{ in: 'query', path: ['reason'], code: 'invalid_type', message: 'Required' }] });
  return reason;
}

export const createDataset = implement(routes.createDataset, ({ principal, body }) => catalogue.create(principal, body));
export const listDatasets = implement(routes.listDatasets, ({ principal, query }) => catalogue.search(principal, query));
export const getDataset = implement(routes.getDataset, ({ principal, params }) => catalogue.get(principal, params.id));
export const updateDataset = implement(routes.updateDataset, async ({ principal, params, body }) => editReply(await catalogue.update(principal, params.id, body)));
export const createVersion = implement(routes.createVersion, ({ principal, params, body }) => versions.create(principal, params.id, body));
export const listVersions = implement(routes.listVersions, ({ principal, params, query }) => versions.list(principal, params.id, query));
export const getVersion = implement(routes.getVersion, ({ principal, params }) => versions.get(principal, params.id, params.n));
export const partUrls = implement(routes.partUrls, ({ principal, params, body }) => versions.partUrls(principal, params.id, params.n, body.partNumbers));
export const completeUpload = implement(routes.completeUpload, ({ principal, params, body }) => versions.complete(principal, params.id, params.n, body));
export const purgeVersion = implement(routes.purgeVersion, ({ principal, params, query, body }) => versions.purge(principal, params.id, params.n, reasonOf(query.reason, body.reason)));
export const listDatasetChanges = implement(routes.listDatasetChanges, ({ principal, query }) => changes.list(principal, query));
export const getDatasetChange = implement(routes.getDatasetChange, ({ principal, params }) => changes.get(principal, params.id));
export const approveDatasetChange = implement(routes.approveDatasetChange, ({ principal, params, body }) => changes.approve(principal, params.id, body.reason));
export const rejectDatasetChange = implement(routes.rejectDatasetChange, ({ principal, params, body }) => changes.reject(principal, params.id, body.reason));
export const withdrawDatasetChange = implement(routes.withdrawDatasetChange, ({ principal, params }) => changes.withdraw(principal, params.id));

/** Lambda entry of the `datasets` function group. */
export const handler = dispatch('datasets', {
  createDataset, listDatasets, getDataset, updateDataset, createVersion, listVersions, getVersion, partUrls, completeUpload, purgeVersion,
  listDatasetChanges, getDatasetChange, approveDatasetChange, rejectDatasetChange, withdrawDatasetChange,
});
