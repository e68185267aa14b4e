import { routes } from '../../schemas/routes.ts';
import { dispatch } from '../http/dispatch.ts';
import { implement } from '../http/route-handler.ts';
import { queryService as query } from '../wiring/query.ts';

/** The validated query string as text: the domain parses filters against the table's columns. */
const text = (q: Record<string, unknown>) => Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));

export const openRecords = implement(routes.openRecords, ({ params, query: q }) => query.openRecords(params.id, text(q)));
export const licenceRecords = implement(routes.licenceRecords, ({ params, query: q, principal }) => query.licensedRecords(principal, params.id, text(q)));

/** Lambda entry of the `query` function group (open records without a key, licensed records behind the authorizer). */
export const handler = dispatch('query', { openRecords, licenceRecords });
