import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { parsePublicUrl } from './public-url.ts';

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
  ) {}

  static status(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpReply {
    return new HttpReply(statusCode, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers }, JSON.stringify(body));
  }

  static redirect(location: string): HttpReply {
    return new HttpReply(302, { location, 'cache-control': 'no-store' });
  }

  static json(body: unknown, contentType: string, maxAgeSeconds = 0, headers: Record<string, string> = {}): HttpReply {
    return new HttpReply(200, { 'content-type': contentType, 'cache-control': maxAgeSeconds ? `public, max-age=${maxAgeSeconds}` : 'no-store', ...headers }, JSON.stringify(body));
  }

  /** 303 See Other: the resource is described elsewhere (a browser sent to the console's page). */
  static seeOther(location: string, headers: Record<string, string> = {}): HttpReply {
    return new HttpReply(303, { location, 'cache-control': 'no-store', ...headers });
  }

  toResult(): APIGatewayProxyStructuredResultV2 {
    return { statusCode: this.statusCode, headers: this.headers, ...(this.body !== undefined ? { body: this.body } : {}) };
  }
}

// Read and checked once, at load: a malformed setting stops the function before it answers anything.
const PUBLIC_URL = parsePublicUrl(process.env.COMPTOIR_PUBLIC_URL);

/** Absolute URLs (JSON-LD, feeds, console links): the configured public URL, else the host the request came to. */
export function baseUrlOf(headers: Readonly<Record<string, string | undefined>>): string {
  return PUBLIC_URL ?? `${headers['x-forwarded-proto'] ?? 'https'}://${headers.host ?? 'localhost'}`;
}
