import type * as z from 'zod';
import { routes, type RouteDeclaration, type RouteId, type Routes } from '../schemas/routes.ts';

type InputField<R, F extends 'params' | 'query' | 'body'> = R extends { readonly [P in F]: infer S extends z.ZodType }
  ? F extends 'query'
    ? { readonly [P in F]?: z.input<S> }
    : { readonly [P in F]: z.input<S> }
  : { readonly [P in F]?: never };

type BodyField<R> = R extends { readonly body: infer S extends z.ZodType }
  ? R extends { readonly bodyOptional: true }
    ? { readonly body?: z.input<S> }
    : { readonly body: z.input<S> }
  : { readonly body?: never };

type OtherResponses<R> = R extends { readonly otherAnswers: infer O }
  ? { [S in keyof O]: O[S] extends { readonly response: infer T extends z.ZodType } ? z.output<T> : never }[keyof O]
  : never;

/** What a call of route `K` takes: path parameters, query and body as its zod schemas declare them. */
export type RequestOf<K extends RouteId> = InputField<Routes[K], 'params'> &
  InputField<Routes[K], 'query'> &
  BodyField<Routes[K]> & {
    /** Sent as `Idempotency-Key` on the routes that honour it. */
    readonly idempotencyKey?: string;
  };

/** What route `K` answers on success, as its response schemas declare them (`undefined` for 204). */
export type ResponseOf<K extends RouteId> =
  | (Routes[K] extends { readonly response: infer S extends z.ZodType } ? z.output<S> : undefined)
  | OtherResponses<Routes[K]>;

/** Routes whose request needs nothing: `client.call('me')`. */
type EmptyRequestRoute = { [K in RouteId]: object extends RequestOf<K> ? K : never }[RouteId];

/** A non-2xx answer of the API, with its stable `code` and the message meant for people. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: readonly unknown[],
    options?: { cause?: unknown },
    /** The id a 5xx answer carries, to quote to the platform's operators. */
    readonly correlationId?: string,
  ) {
    super(message, options);
  }
}

export interface ClientOptions {
  /** `http://127.0.0.1:3000`, or `''` for the page's own origin in a browser. */
  readonly baseUrl: string;
  readonly key?: string;
  readonly fetch?: typeof fetch;
}

/** Fills `{name}` segments of an API Gateway path from `params`. */
export function pathOf(route: RouteDeclaration, params: Record<string, unknown> | undefined): string {
  return route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null || value === '') throw new TypeError(`missing path parameter ${name} for ${route.method} ${route.path}`);
    return encodeURIComponent(String(value));
  });
}

function queryOf(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

interface RawRequest {
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
  body?: unknown;
  idempotencyKey?: string;
}

/** A typed client of the Comptoir HTTP API: one method, `call`, keyed by the OpenAPI operation id. */
export class ComptoirClient {
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: ClientOptions) {
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  /** The same client with another key. */
  withKey(key: string): ComptoirClient {
    return new ComptoirClient({ ...this.options, key });
  }

  /** Calls route `id` and answers its body; throws {@link ApiError} on any non-2xx status. */
  async call<K extends EmptyRequestRoute>(id: K, request?: RequestOf<K>): Promise<ResponseOf<K>>;
  async call<K extends RouteId>(id: K, request: RequestOf<K>): Promise<ResponseOf<K>>;
  async call<K extends RouteId>(id: K, request?: RequestOf<K>): Promise<ResponseOf<K>> {
    return (await this.exchange(id, request)).body;
  }

  /** Like `call`, with the status (the access routes answer 200 or 202 with the same shape). 302 routes answer `{location}` in Node only: browsers hide manual redirects. */
  async exchange<K extends RouteId>(id: K, request?: RequestOf<K>): Promise<{ status: number; body: ResponseOf<K> }> {
    const route = (routes as Record<string, RouteDeclaration>)[id] as RouteDeclaration;
    const input = (request as unknown as RawRequest | undefined) ?? {};
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.options.key) headers.authorization = `Bearer ${this.options.key}`;
    if (input.idempotencyKey) headers['idempotency-key'] = input.idempotencyKey;
    if (input.body !== undefined) headers['content-type'] = 'application/json';
    const url = `${this.options.baseUrl}${pathOf(route, input.params)}${queryOf(input.query)}`;
    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method: route.method,
        headers,
        ...(input.body !== undefined ? { body: JSON.stringify(input.body) } : {}),
        ...(route.status === 302 ? { redirect: 'manual' as const } : {}),
      });
    } catch (error) {
      throw new ApiError(0, 'unreachable', `cannot reach ${this.options.baseUrl || 'the API'}: ${(error as Error).message}`, undefined, { cause: error });
    }
    const text = await response.text();
    const parsed = text ? safeJson(text) : undefined;
    if (response.status >= 400 || (response.status >= 300 && route.status !== 302)) {
      const error = (parsed as { error?: { code?: string; message?: string; details?: unknown[]; correlationId?: string } } | undefined)?.error;
      throw new ApiError(response.status, error?.code ?? `http_${response.status}`, error?.message ?? (response.statusText || `HTTP ${response.status}`), error?.details, undefined, error?.correlationId);
    }
    if (parsed === NOT_JSON) throw new ApiError(response.status, 'not_json', `${route.method} ${route.path} answered ${response.status} with a body that is not JSON`);
    const body = route.status === 302 ? { location: response.headers.get('location') } : parsed;
    return { status: response.status, body: body as ResponseOf<K> };
  }

  /** Follows every page of a paginated list route and answers all its items. */
  async all<K extends RouteId>(id: K, request: RequestOf<K>, max = 10_000): Promise<ItemOf<K>[]> {
    const items: ItemOf<K>[] = [];
    let cursor: string | undefined;
    do {
      const raw = request as unknown as RawRequest;
      const query = { ...(raw.query ?? {}), ...(cursor ? { cursor } : {}) };
      const page = (await this.call(id, { ...raw, query } as unknown as RequestOf<K>)) as unknown as { items: ItemOf<K>[]; cursor?: string };
      items.push(...page.items);
      cursor = page.cursor;
    } while (cursor && items.length < max);
    return items;
  }
}

/** The item type of a paginated list route. */
export type ItemOf<K extends RouteId> = ResponseOf<K> extends { items: (infer I)[] } ? I : never;

const NOT_JSON = Symbol('not JSON');

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}
