import { routes } from '../../schemas/routes.ts';
import { dispatch } from '../http/dispatch.ts';
import { implement } from '../http/route-handler.ts';
import { policyService as policy } from '../wiring/policy.ts';

export const getPolicy = implement(routes.getPolicy, () => policy.get());
export const putPolicy = implement(routes.putPolicy, ({ principal, body }) => policy.put(principal, body));
export const listZones = implement(routes.listZones, () => policy.listZones());
export const getZone = implement(routes.getZone, ({ params }) => policy.getZone(params.name));
export const putZone = implement(routes.putZone, ({ principal, params, body }) => policy.putZone(principal, params.name, body));
export const listClauses = implement(routes.listClauses, () => policy.clauses());
export const listTemplates = implement(routes.listTemplates, () => policy.templates());

/** Lambda entry of the `policy` function group. */
export const handler = dispatch('policy', { getPolicy, putPolicy, listZones, getZone, putZone, listClauses, listTemplates });
