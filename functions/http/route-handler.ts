import middy, { type MiddlewareObj } from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2WithLambdaAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from 'zod';
import type { RouteDeclaration } from '../../schemas/index.ts';
import { DependencyError, ForbiddenError, InvalidRequestError, UnauthenticatedError } from '../domain/errors.ts';
import type { Principal } from '../domain/model.ts';
import { AcrInsufficientError, acrMeets } from '../domain/people/assurance.ts';
import { CsrfRefusedError } from '../domain/people/errors.ts';
import { partnerAdminAcr } from '../wiring/assurance.ts';
import { type AuthorizerContext, principalOf } from './auth-context.ts';
import { httpErrors } from './error-handler.ts';
import { assertJsonShape } from './json-shape.ts';
import { logger } from './logger.ts';
import { HttpReply, jsonResponse, withEdgeHeaders } from './responses.ts';

export type HttpEvent = APIGatewayProxyEventV2WithLambdaAuthorizer<AuthorizerContext>;
export type HttpResult = APIGatewayProxyStructuredResultV2;

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

/** The typed input a route's implementation receives once the edge has validated the request. */
export interface RouteInput<R extends RouteDeclaration> {
  readonly body: Parsed<R['body']>;
  readonly query: Parsed<R['query']>;
  readonly params: Parsed<R['params']>;
  readonly principal: R['auth'] extends 'key' ? Principal : Principal | undefined;
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The request's cookies, `name=value` each (API Gateway payload 2.0). */
  readonly cookies: readonly string[];
  /** The query string as sent, for answers that must check it whole (an OpenID callback). */
  readonly rawQuery: string;
}

type RouteOutput<R extends RouteDeclaration> = (R['response'] extends z.ZodType ? z.input<R['response']> : void) | HttpReply;

/** A Lambda handler with the route's parsed input attached by the `validateRequest` middleware. */
type ValidatedEvent<R extends RouteDeclaration> = HttpEvent & { input?: RouteInput<R> };

function parseJsonBody(event: HttpEvent): unknown {
  if (event.body === undefined || event.body === '') return undefined;
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new InvalidRequestError('the request body is not valid JSON', { cause });
  }
}

function parsePart(schema: z.ZodType | undefined, value: unknown, where: string): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    const details = result.error.issues.map((i) => ({ in: where, path: i.path.map(String), code: i.code, message: i.message }));
    throw new InvalidRequestError(`invalid ${where}: ${details.map((d) => `${[where, ...d.path].join('.')}: ${d.message}`).join('; ')}`, {
      details,
    });
  }
  return result.data;
}

/** Before-middleware, first in the chain: a body too deep or with too long an array gets 400 before anything parses or walks it. */
function boundJsonBody(): MiddlewareObj<HttpEvent, HttpResult, Error, Context> {
  return {
    name: 'boundJsonBody',
    before: ({ event }) => {
      if (event.body) assertJsonShape(event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body);
    },
  };
}

/** Before-middleware: authenticates per the declaration and parses params, query and body with zod. */
function validateRequest<R extends RouteDeclaration>(route: R): MiddlewareObj<ValidatedEvent<R>, HttpResult, Error, Context> {
  return {
    name: 'validateRequest',
    before: (request) => {
      const event = request.event;
      const auth = event.requestContext.authorizer?.lambda;
      if (route.auth === 'key' && auth?.unavailable) throw new DependencyError('the API key could not be checked');
      if (route.auth === 'key' && auth?.csrfRefused) throw new CsrfRefusedError();
      const principal = principalOf(auth);
      if (route.auth === 'key' && !principal) throw new UnauthenticatedError();
      if (principal && route.allow !== 'anyone' && !route.allow.roles.includes(principal.role)) {
        throw new ForbiddenError(`${principal.role} keys may not call this route (roles allowed: ${route.allow.roles.join(', ')})`, 'role_not_allowed');
      }
      // A session of a role the route names must have signed in strongly enough; keys carry no acr.
      if (principal?.session && partnerAdminAcr && route.allow !== 'anyone' && route.allow.acr?.includes(principal.role) && !acrMeets(principal.session.acr, partnerAdminAcr)) {
        throw new AcrInsufficientError(principal.session.acr, partnerAdminAcr);
      }
      if (principal) logger.appendKeys({ keyId: principal.keyId, partnerId: principal.partnerId });
      const body = route.body ? parseJsonBody(event) : undefined;
      if (route.body && !route.bodyOptional && (body === undefined || body === null)) throw new InvalidRequestError('a JSON request body is required');
      event.input = {
        params: parsePart(route.params, event.pathParameters, 'path'),
        query: parsePart(route.query, event.queryStringParameters, 'query'),
        body: parsePart(route.body, body, 'body'),
        principal,
        headers: event.headers ?? {},
        cookies: event.cookies ?? [],
        rawQuery: event.rawQueryString ?? '',
      } as RouteInput<R>;
    },
  };
}

/**
 * Wraps one route's implementation: errors mapped last, logger context, validation at the edge;
 * the implementation makes one call into a domain service and returns the response body.
 */
export function implement<R extends RouteDeclaration>(
  route: R,
  fn: (input: RouteInput<R>) => Promise<RouteOutput<R>> | RouteOutput<R>,
) {
  const handler = middy<ValidatedEvent<R>, HttpResult, Error, Context>()
    .use(httpErrors() as MiddlewareObj<ValidatedEvent<R>, HttpResult, Error, Context>)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(boundJsonBody() as MiddlewareObj<ValidatedEvent<R>, HttpResult, Error, Context>)
    .use(validateRequest(route))
    .handler(async (event) => {
      const result = await fn(event.input!);
      return result instanceof HttpReply ? result.toResult() : jsonResponse(route.status, result);
    });
  // Outside the chain, so errors mapped by httpErrors get the headers too.
  return async (event: ValidatedEvent<R>, context: Context): Promise<HttpResult> =>
    withEdgeHeaders(await handler(event, context), route.auth === 'key' || Boolean(event.headers?.authorization));
}
