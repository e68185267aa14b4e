import * as z from 'zod';
import { HealthSchema, PageQuerySchema } from './common.ts';
import {
  CreatePartnerRequestSchema,
  CreatePartnerResponseSchema,
  PartnerListSchema,
  PartnerPathSchema,
  PartnerSchema,
} from './partner.ts';
import { CreateKeyRequestSchema, CreateKeyResponseSchema, KeyListSchema, KeyPathSchema, MeResponseSchema } from './key.ts';
import { AuditListSchema, AuditQuerySchema, AuditVerifyQuerySchema, AuditVerifySchema } from './audit.ts';

/** The Lambda functions that serve HTTP routes; one bundle each. */
export const HTTP_FUNCTION_GROUPS = ['public', 'identity', 'audit'] as const;
export type HttpFunctionGroup = (typeof HTTP_FUNCTION_GROUPS)[number];

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One HTTP route, declared once: CDK, the local router, validation and OpenAPI all read it. */
export interface RouteDeclaration {
  readonly method: HttpMethod;
  /** API Gateway path syntax: `/v1/partners/{id}`. */
  readonly path: string;
  readonly group: HttpFunctionGroup;
  /** `key`: the Lambda authorizer runs and the handler requires an authenticated caller. */
  readonly auth: 'none' | 'key';
  readonly summary: string;
  /** Who may call it, in words, for the OpenAPI description. */
  readonly who: string;
  readonly status: 200 | 201 | 202 | 204 | 302;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodType;
  readonly response?: z.ZodType;
  /** Business-rule answers a caller should expect besides 400/401/500. */
  readonly errors?: readonly (403 | 404 | 409 | 422)[];
}

const route = <const R extends RouteDeclaration>(r: R): R => r;

/** Every route of the HTTP API, keyed by operation id. */
export const routes = {
  health: route({
    method: 'GET', path: '/health', group: 'public', auth: 'none', status: 200,
    summary: 'Liveness', who: 'anyone', response: HealthSchema,
  }),
  openapi: route({
    method: 'GET', path: '/openapi.json', group: 'public', auth: 'none', status: 200,
    summary: 'This OpenAPI 3.1 document', who: 'anyone', response: z.record(z.string(), z.unknown()),
  }),
  me: route({
    method: 'GET', path: '/v1/me', group: 'identity', auth: 'key', status: 200,
    summary: 'The calling key, its partner and role', who: 'any key', response: MeResponseSchema,
  }),
  createPartner: route({
    method: 'POST', path: '/v1/partners', group: 'identity', auth: 'key', status: 201,
    summary: 'Register a partner and issue its first admin key', who: 'officer',
    body: CreatePartnerRequestSchema, response: CreatePartnerResponseSchema, errors: [403, 409],
  }),
  listPartners: route({
    method: 'GET', path: '/v1/partners', group: 'identity', auth: 'key', status: 200,
    summary: 'List partners', who: 'officer: all; a partner: itself',
    query: PageQuerySchema.strict(), response: PartnerListSchema,
  }),
  getPartner: route({
    method: 'GET', path: '/v1/partners/{id}', group: 'identity', auth: 'key', status: 200,
    summary: 'One partner', who: 'officer; the partner itself (404 for any other)',
    params: PartnerPathSchema, response: PartnerSchema, errors: [404],
  }),
  createKey: route({
    method: 'POST', path: '/v1/partners/{id}/keys', group: 'identity', auth: 'key', status: 201,
    summary: 'Issue an API key for a partner', who: "officer; that partner's admin",
    params: PartnerPathSchema, body: CreateKeyRequestSchema, response: CreateKeyResponseSchema, errors: [403, 404, 422],
  }),
  listKeys: route({
    method: 'GET', path: '/v1/partners/{id}/keys', group: 'identity', auth: 'key', status: 200,
    summary: "A partner's keys (metadata only)", who: "officer; that partner's admin",
    params: PartnerPathSchema, query: PageQuerySchema.strict(), response: KeyListSchema, errors: [403, 404],
  }),
  revokeKey: route({
    method: 'DELETE', path: '/v1/keys/{keyId}', group: 'identity', auth: 'key', status: 204,
    summary: 'Revoke a key; it stops working on the next request', who: "officer (any key); a partner's admin (its keys)",
    params: KeyPathSchema, errors: [403, 404, 409],
  }),
  listAudit: route({
    method: 'GET', path: '/v1/audit', group: 'audit', auth: 'key', status: 200,
    summary: 'The audit chain: bodies of your own events, hashes of the others', who: 'officer (all bodies); partners',
    query: AuditQuerySchema, response: AuditListSchema,
  }),
  verifyAudit: route({
    method: 'GET', path: '/v1/audit/verify', group: 'audit', auth: 'key', status: 200,
    summary: 'Recompute the chain and report the first broken seq', who: 'any key',
    query: AuditVerifyQuerySchema, response: AuditVerifySchema,
  }),
} as const satisfies Record<string, RouteDeclaration>;

export type Routes = typeof routes;
export type RouteId = keyof Routes;
/** Route ids served by one function group. */
export type RoutesOf<G extends HttpFunctionGroup> = { [K in RouteId]: Routes[K]['group'] extends G ? K : never }[RouteId];

/** `GET /v1/partners/{id}`: the API Gateway route key of a declaration. */
export const routeKeyOf = (r: RouteDeclaration): string => `${r.method} ${r.path}`;
