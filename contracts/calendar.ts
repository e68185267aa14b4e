import { Temporal } from 'temporal-polyfill';

/** Calendar arithmetic of licences and contracts happens in the territory's time zone. */
export const TERRITORY_TIME_ZONE = 'Europe/Paris';

const ISO_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;

/** Components above this are refused: no licence or contract term needs more, and dates would overflow. */
const MAX_COMPONENT = 1000;

/** True for a non-zero ISO-8601 duration of whole units (P1M, P7D, PT12H…), each at most 1000. */
export function isIsoDuration(text: string): boolean {
  return ISO_DURATION.test(text) && /[1-9]/.test(text) && (text.match(/\d+/g) ?? []).every((n) => Number(n) <= MAX_COMPONENT);
}

/** Length of a duration in milliseconds, measured from a fixed instant (months and years vary). */
export function approximateMs(duration: string): number {
  const reference = '2001-01-01T00:00:00.000Z';
  return Date.parse(addDuration(reference, duration)) - Date.parse(reference);
}

function scaled(duration: Temporal.Duration, k: number): Temporal.Duration {
  return Temporal.Duration.from({
    years: duration.years * k,
    months: duration.months * k,
    weeks: duration.weeks * k,
    days: duration.days * k,
    hours: duration.hours * k,
    minutes: duration.minutes * k,
    seconds: duration.seconds * k,
  });
}

/** `instant + k·duration`, calendar units in Paris wall-clock time (so P1M from Jan 31 is Feb 28). */
export function addDuration(instant: string, duration: string, k = 1): string {
  if (!isIsoDuration(duration)) throw new RangeError(`not an ISO-8601 duration: ${duration}`);
  const start = Temporal.Instant.from(instant).toZonedDateTimeISO(TERRITORY_TIME_ZONE);
  return start.add(scaled(Temporal.Duration.from(duration), k)).toInstant().toString({ smallestUnit: 'millisecond' });
}

/** The window `[start + k·per, start + (k+1)·per)` that contains `at` (k ≥ 0), and its index. */
export function windowAt(start: string, per: string, at: string): { index: number; start: string; end: string } {
  const atMs = Date.parse(at);
  const startMs = Date.parse(start);
  if (Number.isNaN(atMs) || Number.isNaN(startMs)) throw new RangeError('instants must be ISO-8601');
  if (atMs < startMs) return { index: 0, start, end: addDuration(start, per, 1) };
  // Estimate k from the average length, then correct: calendar units vary in length.
  const firstLength = Date.parse(addDuration(start, per, 1)) - startMs;
  let k = Math.max(0, Math.floor((atMs - startMs) / firstLength) - 1);
  while (Date.parse(addDuration(start, per, k + 1)) <= atMs) k += 1;
  while (k > 0 && Date.parse(addDuration(start, per, k)) > atMs) k -= 1;
  return { index: k, start: addDuration(start, per, k), end: addDuration(start, per, k + 1) };
}
