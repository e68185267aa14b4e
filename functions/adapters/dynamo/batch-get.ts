import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dependencyFailure, dynamoCall } from './errors.ts';

/** BatchGetItem takes at most 100 keys. */
const MAX_KEYS = 100;
/** How many rounds of unprocessed keys are asked again before giving up (BatchGetItem under throttling). */
const MAX_ROUNDS = 8;

/** How a batch read waits between rounds of unprocessed keys: exponential, so a throttled table gets room. */
export type Backoff = (round: number) => Promise<void>;
const exponential: Backoff = (round) => new Promise((resolve) => setTimeout(resolve, 10 * 2 ** round));

/**
 * Every item of `keys` that exists, a hundred keys a request. Keys a request leaves unprocessed are asked again, only
 * those, with backoff, at most `MAX_ROUNDS` times per hundred; then the read fails as an outage instead of asking forever.
 */
export async function batchGetAll(
  db: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Record<string, unknown>[],
  options: { consistent: boolean; backoff?: Backoff },
): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  for (let i = 0; i < keys.length; i += MAX_KEYS) {
    let pending: Record<string, unknown>[] | undefined = keys.slice(i, i + MAX_KEYS);
    for (let round = 0; pending?.length; round++) {
      if (round === MAX_ROUNDS) throw dependencyFailure('BatchGetItem', new Error(`${pending.length} keys still unprocessed after ${MAX_ROUNDS} rounds`));
      if (round > 0) await (options.backoff ?? exponential)(round);
      const asked: Record<string, unknown>[] = pending;
      const out = await dynamoCall('BatchGetItem', () => db.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: asked, ...(options.consistent ? { ConsistentRead: true } : {}) } } })));
      found.push(...(out.Responses?.[tableName] ?? []));
      pending = out.UnprocessedKeys?.[tableName]?.Keys;
    }
  }
  return found;
}
