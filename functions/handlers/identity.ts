import { routes } from '../../schemas/routes.ts';
import { dispatch } from '../http/dispatch.ts';
import { implement } from '../http/route-handler.ts';
import { identityService as identity } from '../wiring/identity.ts';

export const me = implement(routes.me, ({ principal }) => identity.me(principal));
export const createPartner = implement(routes.createPartner, ({ principal, body }) => identity.createPartner(principal, body));
export const listPartners = implement(routes.listPartners, ({ principal, query }) => identity.listPartners(principal, query));
export const getPartner = implement(routes.getPartner, ({ principal, params }) => identity.getPartner(principal, params.id));
export const createKey = implement(routes.createKey, ({ principal, params, body }) => identity.issueKey(principal, params.id, body));
export const listKeys = implement(routes.listKeys, ({ principal, params, query }) => identity.listKeys(principal, params.id, query));
export const revokeKey = implement(routes.revokeKey, ({ principal, params }) => identity.revokeKey(principal, params.keyId));

/** Lambda entry of the `identity` function group. */
export const handler = dispatch('identity', { me, createPartner, listPartners, getPartner, createKey, listKeys, revokeKey });
