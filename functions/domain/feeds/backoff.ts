/** At most this many attempts per delivery before it is dead-lettered. */
export const MAX_ATTEMPTS = 8;
/** Delay before attempt n+1 (n = attempts so far): 30 s doubling to 32 min, ~1 h in all. */
const BASE_DELAY_MS = 30_000;

/** Exponential backoff with full jitter on the upper half: spreads retries of a recovering receiver. */
export function retryDelayMs(attemptsSoFar: number, random: () => number): number {
  const ceiling = BASE_DELAY_MS * 2 ** Math.max(0, attemptsSoFar - 1);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Network errors, timeouts, 5xx and 429 are worth another attempt; other 4xx are not. */
export const isRetryable = (statusCode: number | undefined): boolean => statusCode === undefined || statusCode >= 500 || statusCode === 429;
