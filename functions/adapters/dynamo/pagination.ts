import type { NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import { decodeCursor, encodeCursor } from '../../domain/cursor.ts';
import type { Page, PageRequest } from '../../domain/model.ts';

type Key = Record<string, NativeAttributeValue>;

/** ExclusiveStartKey of a cursor issued for the given key attributes. */
export function startKeyOf(page: PageRequest, keyAttributes: readonly string[]): Key | undefined {
  if (!page.cursor) return undefined;
  return decodeCursor(page.cursor, Object.fromEntries(keyAttributes.map((k) => [k, 'string'])) as Record<string, 'string'>);
}

/** A page of mapped items with the cursor of LastEvaluatedKey. */
export function pageOf<T>(items: T[], lastKey: Key | undefined): Page<T> {
  return lastKey ? { items, cursor: encodeCursor(lastKey) } : { items };
}

export const DEFAULT_LIMIT = 50;
