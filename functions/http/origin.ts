import { createHash, timingSafeEqual } from 'node:crypto';

/** The header CloudFront adds to every request it forwards to the API (the local server does the same). */
export const ORIGIN_VERIFY_HEADER = 'x-comptoir-origin-verify';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * True when a request came through the platform's own edge: it carries the origin secret that only
 * CloudFront (or the local server) adds. Compared in constant time, over digests of equal length.
 */
export function cameThroughEdge(headers: Readonly<Record<string, string | undefined>> | undefined, secret: string): boolean {
  const presented = headers?.[ORIGIN_VERIFY_HEADER];
  return presented !== undefined && timingSafeEqual(digest(presented), digest(secret));
}
