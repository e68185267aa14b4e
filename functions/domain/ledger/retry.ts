import { StateConflictError } from '../errors.ts';

/**
 * Retries a settlement that real DynamoDB cancelled for contention (`TransactionConflict`, surfaced
 * as `concurrent_change`) with jittered exponential backoff, then lets the 409 through. `also` names
 * further conflict codes worth a fresh read and another attempt (a state that moved under the caller).
 */
export async function retryOnContention<T>(settle: () => Promise<T>, attempts = 4, also: readonly string[] = []): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await settle();
    } catch (error) {
      const retryable = error instanceof StateConflictError && (error.code === 'concurrent_change' || also.includes(error.code));
      if (!retryable || attempt >= attempts) throw error;
      await new Promise((r) => setTimeout(r, 25 * 2 ** attempt * Math.random()));
    }
  }
}
