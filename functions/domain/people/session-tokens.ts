import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const TOKEN_PATTERN = /^(ses_[0-9A-HJKMNP-TV-Z]{26})\.([A-Za-z0-9_-]{43})$/;

/** A fresh secret for a session cookie or a CSRF token: 32 random bytes in base64url. */
export const randomSecret = (): string => randomBytes(32).toString('base64url');

/** The only form in which a session secret (or a sign-in state) is stored: hex SHA-256. */
export const hashSecret = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');

/** The cookie value of a session: its id, a dot, its secret. */
export const sessionToken = (sessionId: string, secret: string): string => `${sessionId}.${secret}`;

/** Splits a cookie value into session id and secret; undefined for anything malformed (no read spent). */
export function parseSessionToken(token: string | undefined): { sessionId: string; secret: string } | undefined {
  const match = token?.match(TOKEN_PATTERN);
  return match ? { sessionId: match[1]!, secret: match[2]! } : undefined;
}

/** Constant-time equality of two strings, over digests so lengths may differ. */
export function sameSecret(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}
