import { createHash, randomBytes } from 'node:crypto';

const KEY_PREFIX = 'cpt_';
const KEY_PATTERN = /^cpt_[A-Za-z0-9_-]{20,128}$/;

/** A new secret API key: `cpt_` + 32 random bytes in base64url. */
export function generateApiKey(): string {
  return KEY_PREFIX + randomBytes(32).toString('base64url');
}

/** The only form in which a key is stored: hex SHA-256 of the whole key string. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Cheap shape check that spares a database read for obvious garbage. */
export function isWellFormedApiKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

/** Extracts the key from an `Authorization: Bearer <key>` header value. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}
