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
  const entries = Object.entries(fields);
  const record = value as Record<string, unknown>;
  const valid = (v: unknown, t: unknown) => (t === 'string' ? typeof v === 'string' && v.length > 0 && v.length <= 1024 : Number.isSafeInteger(v) && (v as number) >= 0);
  const ok =
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(record).length === entries.length &&
    entries.every(([k, t]) => valid(record[k], t));
  if (!ok) throw new InvalidRequestError('cursor is not one this API returned');
  return value as Record<K, string | number>;
}
