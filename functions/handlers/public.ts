import { buildOpenApiDocument } from '../../schemas/openapi.ts';
import { routes } from '../../schemas/routes.ts';
import { VERSION } from '../version.ts';
import { dispatch } from '../http/dispatch.ts';
import { implement } from '../http/route-handler.ts';

// Built once per process: the document only changes with the code.
const openApiDocument = buildOpenApiDocument(VERSION);

export const health = implement(routes.health, () => ({ ok: true as const, version: VERSION }));
export const openapi = implement(routes.openapi, () => openApiDocument as unknown as Record<string, unknown>);

/** Lambda entry of the `public` function group. */
export const handler = dispatch('public', { health, openapi });
