import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject, type ZodOpenApiResponseObject } from 'zod-openapi';
import * as z from 'zod';
import { ErrorBodySchema, JSON_BODY_LIMITS } from './common.ts';
import { VersionPublishedPayloadSchema } from './feed.ts';
import { IdempotencyKeySchema } from './idempotency.ts';
import { FILTERS_PARAMETER } from './query.ts';
import { type RouteDeclaration, type RouteId, routes } from './routes.ts';

const ERROR_TEXT: Record<number, string> = {
  400: `Invalid input; \`details\` lists the zod issues. \`json_too_complex\` when the body nests deeper than ${JSON_BODY_LIMITS.depth} levels or an array holds more than ${JSON_BODY_LIMITS.arrayItems} items (checked before any schema). Nothing was changed.`,
  401: 'Missing, unknown or revoked API key',
  403: 'Authenticated but not allowed; the message names the rule',
  404: 'Not found, or not visible to the caller',
  409: 'Conflicts with the current state',
  413: 'The request body is over 6 MB: dataset bytes go to the presigned upload URL',
  422: 'Refused by a business rule',
  500: 'Unexpected failure; the body carries a correlation id and no detail',
  503: 'Not available now, nothing was changed: `unavailable` when a dependency is down or throttled (with a correlation id); `starting` while a local runtime seeds its demo territory (never on AWS). Retry later, after `Retry-After` seconds when given',
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

/** A success answer: its body (JSON unless said otherwise, in each media type offered) and the headers clients rely on. */
function answer(description: string, schema: z.ZodType | undefined, mediaTypes: readonly string[] = ['application/json'], headers?: z.ZodObject): ZodOpenApiResponseObject {
  return { description, ...(schema ? { content: Object.fromEntries(mediaTypes.map((type) => [type, { schema }])) } : {}), ...(headers ? { headers } : {}) };
}

/** The 503 of any route, with the pause to take before asking again when the platform knows it. */
const unavailable = (body?: z.ZodType): ZodOpenApiResponseObject => ({
  ...errorResponse(503),
  ...(body ? { content: { 'application/json': { schema: body } } } : {}),
  headers: z.object({ 'Retry-After': z.number().int().nonnegative().optional().meta({ description: 'Seconds to wait before asking again' }) }),
});

/** A query schema that takes parameters beyond its named ones: the records filters. */
const acceptsFilters = (query: z.ZodType): boolean => {
  const catchall = (query as { _zod: { def: { catchall?: z.ZodType } } })._zod.def.catchall;
  return catchall !== undefined && !(catchall instanceof z.ZodNever);
};

function operationOf(id: RouteId, r: RouteDeclaration): ZodOpenApiOperationObject {
  const idempotent = r.idempotent === true;
  const restricted = r.allow !== 'anyone' && (r.allow.roles.length < 3 || r.allow.party !== undefined);
  const statuses = [
    ...new Set([
      ...(r.body || r.query || r.params || idempotent ? [400] : []),
      ...(r.body ? [413] : []),
      ...(r.auth === 'key' ? [401] : []),
      ...(restricted ? [403] : []),
      ...(r.allow !== 'anyone' && r.allow.party ? [404] : []),
      ...(r.errors ?? []),
      ...(idempotent ? [409] : []),
    ]),
  ]
    .sort()
    .concat(500, 503);
  const responses: Record<string, ZodOpenApiResponseObject> = {
    [r.status]: answer(r.summary, r.response, r.mediaTypes, r.responseHeaders),
    ...(r.seeOther ? { 303: { description: r.seeOther, headers: z.object({ Location: z.string().meta({ description: 'Where the page is' }) }) } } : {}),
  };
  for (const [status, other] of Object.entries(r.otherAnswers ?? {})) responses[status] = answer(other.summary, other.response, undefined, other.headers);
  for (const s of statuses) {
    const body = r.errorBodies?.[s as keyof NonNullable<RouteDeclaration['errorBodies']>];
    responses[String(s)] = s === 409 && idempotent ? idempotentConflict() : s === 503 ? unavailable(body) : body ? { description: ERROR_TEXT[s] ?? 'Error', content: { 'application/json': { schema: body } } } : errorResponse(s);
  }
  const header = idempotent ? { header: z.object({ 'Idempotency-Key': IdempotencyKeySchema.optional() }) } : {};
  return {
    operationId: id,
    summary: r.summary,
    description: `Who: ${r.who}.${r.allow === 'anyone' ? '' : ` Roles: ${r.allow.roles.join(', ')}${r.allow.party ? `; the caller's partner must be the ${r.allow.party.replace('-', ' ')}${r.allow.officers ? ' (officers excepted)' : ''}` : ''}.${r.allow.acr ? ` A session of ${r.allow.acr.join(', ')} must have signed in at the territory's partner-admin assurance level (403 \`acr_insufficient\` otherwise).` : ''}`}`,
    'x-comptoir-allow': r.allow,
    // A path parameter (`/datasets/{id}`) names no tag: the function group does.
    tags: [[r.path.split('/')[2]].find((segment) => segment && !segment.startsWith('{')) ?? r.group],
    ...(r.auth === 'key' ? { security: [{ apiKey: [] }] } : { security: [] }),
    ...(r.params || r.query || idempotent ? { requestParams: { ...(r.params ? { path: r.params } : {}), ...(r.query ? { query: r.query } : {}), ...header } } : {}),
    // The records grammar's `column__operator` parameters, which a zod catch-all cannot name.
    ...(r.query && acceptsFilters(r.query) ? { parameters: [FILTERS_PARAMETER] } : {}),
    ...(r.body ? { requestBody: { required: r.bodyOptional !== true, content: { 'application/json': { schema: r.body } } } } : {}),
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
    // Relative: every platform serves the document at its own root.
    servers: [{ url: '/', description: 'The platform that served this document' }],
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'An API key `cpt_…` issued by an officer or a partner admin' },
      },
    },
    paths,
    webhooks: {
      'dataset.version.published': {
        post: {
          operationId: 'onVersionPublished',
          // The platform calls the receiver: no API key; the signature authenticates.
          security: [],
          summary: 'A new version of a dataset a subscription covers, with a URL under the licence',
          description:
            'Signed per Standard Webhooks (https://www.standardwebhooks.com): verify `webhook-signature` over `webhook-id.webhook-timestamp.body` (raw bytes) with the subscription secret, e.g. with the `standardwebhooks` package. Answer 2xx within 10 seconds; any other answer or a timeout is retried with backoff, with the same `webhook-id`.',
          requestParams: {
            header: z.object({
              'webhook-id': z.string().meta({ description: 'The delivery id, the same on every retry: de-duplicate on it' }),
              'webhook-timestamp': z.string().regex(/^\d+$/).meta({ description: 'Unix seconds of this attempt; refuse it when more than 5 minutes away' }),
              'webhook-signature': z.string().meta({ description: 'Space-separated `v1,<base64 HMAC-SHA-256>` signatures' }),
            }),
          },
          requestBody: { required: true, content: { 'application/json': { schema: VersionPublishedPayloadSchema } } },
          responses: {
            '200': { description: 'Received; any 2xx will do' },
            '410': { description: 'Gone: the subscription is disabled and nothing more is sent' },
          },
        },
      },
    },
  });
}
