import { routes } from '../../schemas/routes.ts';
import { dispatch } from '../http/dispatch.ts';
import { implement } from '../http/route-handler.ts';
import { HttpReply } from '../http/responses.ts';
import { queryExports as exports, queryService as query } from '../wiring/query.ts';

/** The validated query string as text: the domain parses filters against the table's columns. */
const text = (q: Record<string, unknown>) => Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));

export const openRecords = implement(routes.openRecords, ({ params, query: q }) => query.openRecords(params.id, text(q)));
export const licenceRecords = implement(routes.licenceRecords, ({ params, query: q, principal }) => query.licensedRecords(principal, params.id, text(q)));
export const openExport = implement(routes.openExport, async ({ params, query: q }) => HttpReply.redirect(await exports.open(params.id, params.format, text(q))));
export const licenceExport = implement(routes.licenceExport, async ({ params, query: q, principal }) => HttpReply.redirect(await exports.licensed(principal, params.id, params.format, text(q))));

/** Lambda entry of the `query` function group (open records and exports without a key, licensed ones behind the authorizer). */
export const handler = dispatch('query', { openRecords, licenceRecords, openExport, licenceExport });
