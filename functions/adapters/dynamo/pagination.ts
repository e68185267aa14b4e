import { BatchGetCommand, QueryCommand, type DynamoDBDocumentClient, type NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import { InvalidRequestError } from '../../domain/errors.ts';
import { decodeCursor, encodeCursor } from '../../domain/cursor.ts';
import type { Page, PageRequest } from '../../domain/model.ts';
import { dependencyFailure } from './errors.ts';

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

/** One page of a `gsi1` partition, refusing a cursor issued for another partition. */
export async function gsi1Page(db: DynamoDBDocumentClient, tableName: string, partition: string, page: PageRequest): Promise<{ Items?: Key[]; LastEvaluatedKey?: Key }> {
  const start = startKeyOf(page, ['pk', 'sk', 'gsi1pk', 'gsi1sk']);
  if (start && start.gsi1pk !== partition) throw new InvalidRequestError('cursor belongs to another list');
  try {
    return await db.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': partition },
        Limit: page.limit ?? DEFAULT_LIMIT,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
  } catch (error) {
    throw dependencyFailure('Query', error);
  }
}

/**
 * One page of a pointer partition (`pk` = partition, one item per target holding its id in `idAttribute`),
 * resolved with one BatchGetItem and returned in the partition's order.
 */
export async function pointedPage<T extends { id: string }>(
  db: DynamoDBDocumentClient,
  tableName: string,
  partition: string,
  page: PageRequest,
  target: { readonly idAttribute: string; readonly keyOf: (id: string) => Key; readonly read: (item: Record<string, unknown>) => T },
): Promise<Page<T>> {
  const start = startKeyOf(page, ['pk', 'sk']);
  if (start && start.pk !== partition) throw new InvalidRequestError('cursor belongs to another list');
  try {
    const out = await db.send(
      new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': partition }, Limit: page.limit ?? DEFAULT_LIMIT, ...(start ? { ExclusiveStartKey: start } : {}) }),
    );
    const ids = (out.Items ?? []).map((i) => String(i[target.idAttribute]));
    const found = ids.length ? ((await db.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: ids.map(target.keyOf) } } }))).Responses?.[tableName] ?? []).map(target.read) : [];
    const byId = new Map(found.map((t) => [t.id, t]));
    return pageOf(ids.map((id) => byId.get(id)).filter((t): t is T => !!t), out.LastEvaluatedKey);
  } catch (error) {
    if (error instanceof InvalidRequestError) throw error;
    throw dependencyFailure('Query', error);
  }
}
