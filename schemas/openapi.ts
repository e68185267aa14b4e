import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject, type ZodOpenApiResponseObject } from 'zod-openapi';
import * as z from 'zod';
import { ErrorBodySchema } from './common.ts';
import { IdempotencyKeySchema } from './idempotency.ts';
import { type RouteDeclaration, type RouteId, routes } from './routes.ts';

const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid input; `details` lists the zod issues. Nothing was changed.',
  401: 'Missing, unknown or revoked API key',
  403: 'Authenticated but not allowed; the message names the rule',
  404: 'Not found, or not visible to the caller',
  409: 'Conflicts with the current state',
  422: 'Refused by a business rule',
  500: 'Unexpected failure; the body carries a correlation id and no detail',
};

const errorResponse = (status: number) => ({
  description: ERROR_TEXT[status] ?? 'Error',
  content: { 'application/json': { schema: ErrorBodySchema } },
});

/** The 409 of a route honouring Idempotency-Key: also answered while a twin request holds the key. */
const idempotentConflict = (): ZodOpenApiResponseObject => ({
  ...errorResponse(409),
  description: `${ERROR_TEXT[409]}; \`idempotency_key_reused\` when the Idempotency-Key was used for another request; \`idempotency_in_progress\` while a request with the same key is still running (retry after \`Retry-After\`)`,
  headers: z.object({ 'Retry-After': z.number().int().nonnegative().optional().meta({ description: 'Seconds to wait before retrying; sent with `idempotency_in_progress`' }) }),
});

function operationOf(id: RouteId, r: RouteDeclaration): ZodOpenApiOperationObject {
  const idempotent = r.idempotent === true;
  const restricted = r.allow !== 'anyone' && (r.allow.roles.length < 3 || r.allow.party !== undefined);
  const statuses = [
    ...new Set([
      ...(r.body || r.query || r.params || idempotent ? [400] : []),
      ...(r.auth === 'key' ? [401] : []),
      ...(restricted ? [403] : []),
      ...(r.allow !== 'anyone' && r.allow.party ? [404] : []),
      ...(r.errors ?? []),
      ...(idempotent ? [409] : []),
    ]),
  ]
    .sort()
    .concat(500);
  const responses: Record<string, ZodOpenApiResponseObject> = {
    [r.status]: r.response
      ? { description: r.summary, content: Object.fromEntries((r.mediaTypes ?? ['application/json']).map((type) => [type, { schema: r.response! }])) }
      : { description: r.summary },
    ...(r.seeOther ? { 303: { description: r.seeOther, headers: z.object({ Location: z.string().meta({ description: 'Where the page is' }) }) } } : {}),
  };
  for (const s of statuses) responses[String(s)] = s === 409 && idempotent ? idempotentConflict() : errorResponse(s);
  const header = idempotent ? { header: z.object({ 'Idempotency-Key': IdempotencyKeySchema.optional() }) } : {};
  return {
    operationId: id,
    summary: r.summary,
    description: `Who: ${r.who}.${r.allow === 'anyone' ? '' : ` Roles: ${r.allow.roles.join(', ')}${r.allow.party ? `; the caller's partner must be the ${r.allow.party.replace('-', ' ')}${r.allow.officers ? ' (officers excepted)' : ''}` : ''}.`}`,
    'x-comptoir-allow': r.allow,
    // A path parameter (`/datasets/{id}`) names no tag: the function group does.
    tags: [[r.path.split('/')[2]].find((segment) => segment && !segment.startsWith('{')) ?? r.group],
    ...(r.auth === 'key' ? { security: [{ apiKey: [] }] } : { security: [] }),
    ...(r.params || r.query || idempotent ? { requestParams: { ...(r.params ? { path: r.params } : {}), ...(r.query ? { query: r.query } : {}), ...header } } : {}),
    ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: r.body } } } } : {}),
    responses,
  };
}

/** Builds the OpenAPI 3.1 document of every declared route from its zod schemas. */
export function buildOpenApiDocument(version: string) {
  const paths: ZodOpenApiPathsObject = {};
  for (const [id, r] of Object.entries(routes) as [RouteId, RouteDeclaration][]) {
    const method = r.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    paths[r.path] = { ...paths[r.path], [method]: operationOf(id, r) };
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Comptoir API',
      version,
      description: 'Territorial data exchange: partners, datasets, enforced licences, barter and an auditable hash chain.',
      license: { name: 'EUPL-1.2', identifier: 'EUPL-1.2' },
    },
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'An API key `cpt_…` issued by an officer or a partner admin' },
      },
    },
    paths,
  });
}
