import { buildOpenApiDocument } from '../../schemas/openapi.ts';
import { routes } from '../../schemas/routes.ts';
import { VERSION } from '../version.ts';
import { comptoirOdrlProfile } from '../domain/licences/odrl-profile.ts';
import { dispatch } from '../http/dispatch.ts';
import { HttpReply } from '../http/responses.ts';
import { implement } from '../http/route-handler.ts';

// Built once per process: the document only changes with the code.
const openApiDocument = buildOpenApiDocument(VERSION);

export const health = implement(routes.health, () => ({ ok: true as const, version: VERSION }));
export const openapi = implement(routes.openapi, () => openApiDocument as unknown as Record<string, unknown>);
export const odrlProfile = implement(routes.odrlProfile, () => HttpReply.json(comptoirOdrlProfile(), 'application/ld+json; charset=utf-8', 3600));

/** Lambda entry of the `public` function group. */
export const handler = dispatch('public', { health, openapi, odrlProfile });
