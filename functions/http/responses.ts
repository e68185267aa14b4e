import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

/** A JSON response (or an empty one for 204). */
export function jsonResponse(statusCode: number, body?: unknown, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  if (body === undefined) return { statusCode, headers: { 'cache-control': 'no-store', ...headers } };
  return { statusCode, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

/** A reply that is not a plain JSON body: a redirect, or another content type. */
export class HttpReply {
  constructor(
    readonly statusCode: number,
    readonly headers: Record<string, string>,
    readonly body?: string,
    /** `Set-Cookie` values (API Gateway payload 2.0 `cookies`). */
    readonly cookies: readonly string[] = [],
  ) {}

  static status(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpReply {
    return new HttpReply(statusCode, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers }, JSON.stringify(body));
  }

  static redirect(location: string, cookies: readonly string[] = []): HttpReply {
    return new HttpReply(302, { location, 'cache-control': 'no-store' }, undefined, cookies);
  }

  static json(body: unknown, contentType: string, maxAgeSeconds = 0, headers: Record<string, string> = {}): HttpReply {
    return new HttpReply(200, { 'content-type': contentType, 'cache-control': maxAgeSeconds ? `public, max-age=${maxAgeSeconds}` : 'no-store', ...headers }, JSON.stringify(body));
  }

  /** 303 See Other: the resource is described elsewhere (a browser sent to the console's page). */
  static seeOther(location: string, headers: Record<string, string> = {}): HttpReply {
    return new HttpReply(303, { location, 'cache-control': 'no-store', ...headers });
  }

  toResult(): APIGatewayProxyStructuredResultV2 {
    return { statusCode: this.statusCode, headers: this.headers, ...(this.body !== undefined ? { body: this.body } : {}), ...(this.cookies.length ? { cookies: [...this.cookies] } : {}) };
  }
}

/**
 * Headers every API answer carries: `nosniff`, so no browser runs a JSON body as a script or page, and
 * `no-store` on authenticated answers, so no cache keeps one partner's data for another.
 */
export function withEdgeHeaders(result: APIGatewayProxyStructuredResultV2, authenticated: boolean): APIGatewayProxyStructuredResultV2 {
  const headers: Record<string, string | number | boolean> = { ...result.headers, 'x-content-type-options': 'nosniff' };
  if (authenticated) headers['cache-control'] = 'no-store';
  return { ...result, headers };
}
