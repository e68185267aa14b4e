import { randomUUID } from 'node:crypto';
import { digestOf } from '../../../contracts/digest.ts';
import { IdempotencyKeySchema } from '../../../schemas/idempotency.ts';
import type { IdempotencyStore } from '../../ports/idempotency.ts';
import type { Clock } from '../../ports/time.ts';
import { InvalidRequestError } from '../errors.ts';
import { IdempotencyInProgressError, IdempotencyKeyReusedError, type IdempotencyRecord } from './movement.ts';

/** A request that dies holding a key gives it up after this long (far beyond any function's timeout). */
export const IDEMPOTENCY_LEASE_MS = 60_000;
/** How long a twin waits between reads of the first answer: about two seconds in all, then a 409. */
const WAITS_MS = [50, 100, 150, 250, 350, 500, 600];
/** Claims taken over or freed under our feet before we give up with a 409 (each one is another request's progress). */
const MAX_CLAIM_ATTEMPTS = 5;

export interface IdempotencyDeps {
  readonly store: IdempotencyStore;
  readonly clock: Clock;
  /** How a twin waits between reads; tests replace it. */
  readonly pause?: (ms: number) => Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs a change at most once per (caller, Idempotency-Key). The request first claims the key (a
 * lease); its change writes the first answer in its own transaction, only while the claim is still
 * its own. A retry gets the first answer; a twin in flight waits briefly for it, else a 409
 * `idempotency_in_progress` with Retry-After; another request with the same key is a 409
 * `idempotency_key_reused`. A failed request frees the key: its error changed nothing, so a retry runs again.
 */
export async function idempotent<T>(
  deps: IdempotencyDeps,
  scope: string,
  key: string | undefined,
  request: unknown,
  run: (recordOf: ((response: T) => IdempotencyRecord) | undefined) => Promise<T>,
): Promise<T> {
  if (!key) return run(undefined);
  // Bounded at the edge's rule: the key becomes part of a DynamoDB key.
  if (!IdempotencyKeySchema.safeParse(key).success) {
    throw new InvalidRequestError('the Idempotency-Key header must be 1 to 255 printable ASCII characters', {
      details: [{ in: 'header', path: ['idempotency-key'], code: 'invalid_string', message: '1 to 255 printable ASCII characters' }],
    });
  }
  const requestHash = digestOf(request);
  const pause = deps.pause ?? sleep;
  const waits = [...WAITS_MS];

  /** Reads the key until it holds an answer (returned), is free again (undefined), or the waits run out (409); a lapsed claim is taken over by the next claim. */
  const answerOf = async (): Promise<{ answer: T } | undefined> => {
    for (;;) {
      const entry = await deps.store.get(scope, key);
      if (!entry) return undefined;
      // Checked while in flight too: a different request never waits for, nor gets, another's answer.
      if (entry.requestHash !== requestHash) throw new IdempotencyKeyReusedError();
      if (entry.state === 'done') return { answer: JSON.parse(entry.response) as T };
      const wait = waits.shift();
      if (wait === undefined) throw new IdempotencyInProgressError();
      await pause(wait);
    }
  };

  for (let attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt++) {
    const now = deps.clock.now();
    const token = randomUUID();
    const claimed = await deps.store.claim({ scope, key, requestHash, token, at: now.toISOString(), leaseUntil: new Date(now.getTime() + IDEMPOTENCY_LEASE_MS).toISOString() }, now.toISOString());
    if (claimed) return runHolding(token);
    const settled = await answerOf();
    if (settled) return settled.answer;
  }
  throw new IdempotencyInProgressError();

  async function runHolding(token: string): Promise<T> {
    let recorded = false;
    const recordOf = (response: T): IdempotencyRecord => {
      recorded = true;
      return { scope, key: key!, requestHash, token, response: JSON.stringify(response), at: deps.clock.now().toISOString() };
    };
    let result: T;
    try {
      result = await run(recordOf);
    } catch (error) {
      // A failed change wrote nothing: free the key so that a retry runs again (no 4xx is replayed).
      const released = await deps.store.release(scope, key!, token).catch(() => undefined);
      if (released !== false) throw error;
      // The claim is no longer ours: our change committed its answer after all, or our lease lapsed and a
      // twin took the key over, whose change may be what made ours fail. Its answer is ours.
      const settled = await answerOf();
      if (settled) return settled.answer;
      throw error;
    }
    // A change that did not write its answer leaves nothing to replay: free the key.
    if (!recorded) await deps.store.release(scope, key!, token).catch(() => undefined);
    return result;
  }
}
