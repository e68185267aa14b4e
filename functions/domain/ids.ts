import { monotonicFactory } from 'ulid';
import type { Clock, IdGenerator } from '../ports/time.ts';

/** The wall clock. */
export const systemClock: Clock = { now: () => new Date() };

/** ULIDs, monotonic within a millisecond so ids created together still sort in creation order. */
export function ulidGenerator(clock: Clock = systemClock): IdGenerator {
  const next = monotonicFactory();
  return { next: (prefix) => `${prefix}_${next(clock.now().getTime())}` };
}
