import { digestOf } from '../../../contracts/digest.ts';
import type { Clock } from '../../ports/time.ts';
import { IdempotencyKeyReusedError, IdempotencyRaceError, type IdempotencyRecord } from './movement.ts';

/** Where idempotency records are read (they are written inside each change's own transaction). */
export interface IdempotencyReader {
  getIdempotency(scope: string, key: string): Promise<IdempotencyRecord | undefined>;
}

/**
 * Runs a change at most once per (caller, Idempotency-Key): a retry with the same request gets the
 * first answer, another request with the same key is a 409. `run` receives the record to write with its change.
 */
export async function idempotent<T>(
  deps: { reader: IdempotencyReader; clock: Clock },
  scope: string,
  key: string | undefined,
  request: unknown,
  run: (recordOf: ((response: T) => IdempotencyRecord) | undefined) => Promise<T>,
): Promise<T> {
  if (!key) return run(undefined);
  const requestHash = digestOf(request);
  for (let attempt = 0; attempt < 5; attempt++) {
    const existing = await deps.reader.getIdempotency(scope, key);
    if (existing) {
      if (existing.requestHash !== requestHash) throw new IdempotencyKeyReusedError();
      return JSON.parse(existing.response) as T;
    }
    try {
      return await run((response) => ({ scope, key, requestHash, response: JSON.stringify(response), at: deps.clock.now().toISOString() }));
    } catch (error) {
      // A concurrent twin wrote the record first: its answer is ours.
      if (!(error instanceof IdempotencyRaceError)) throw error;
    }
  }
  throw new IdempotencyRaceError();
}
