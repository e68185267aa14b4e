import { StateConflictError } from '../errors.ts';

/**
 * Retries a settlement that real DynamoDB cancelled for contention (`TransactionConflict`, surfaced
 * as `concurrent_change`) with jittered exponential backoff, then lets the 409 through.
 */
export async function retryOnContention<T>(settle: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await settle();
    } catch (error) {
      if (!(error instanceof StateConflictError) || error.code !== 'concurrent_change' || attempt >= attempts) throw error;
      await new Promise((r) => setTimeout(r, 25 * 2 ** attempt * Math.random()));
    }
  }
}
