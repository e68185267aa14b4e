import { InvalidRequestError } from './errors.ts';

/** Encodes a position as an opaque cursor. */
export function encodeCursor(position: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/** Decodes a cursor, checking it has the expected string/number fields; a forged one is a 400. */
export function decodeCursor<K extends string>(cursor: string, fields: Record<K, 'string' | 'number'>): Record<K, string | number> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (cause) {
    throw new InvalidRequestError('cursor is not one this API returned', { cause });
  }
  const ok =
    typeof value === 'object' &&
    value !== null &&
    Object.entries(fields).every(([k, t]) => typeof (value as Record<string, unknown>)[k] === t);
  if (!ok) throw new InvalidRequestError('cursor is not one this API returned');
  return value as Record<K, string | number>;
}
