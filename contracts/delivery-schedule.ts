/**
 * Delivery schedule and compliance of a DSP (délégation de service public) operator.
 *
 * Pure computation: no I/O, and the clock is never read — every "now" is passed in.
 * All calendar arithmetic happens in the Europe/Paris time zone; every instant returned is a
 * UTC ISO string in `Date.prototype.toISOString` form (`2026-01-31T23:00:00.000Z`).
 */
import { addDuration, isIsoDuration, midnightOf } from './calendar.ts';

/** Time zone in which contracts, period boundaries and grace days are reckoned. */
export { TERRITORY_TIME_ZONE as CONTRACT_TIME_ZONE } from './calendar.ts';

/** Most periods computed for one obligation; beyond, a `RangeError` (guards against `PT1S`-style obligations). */
export const MAX_PERIODS = 100_000;

/** One delivery period; all fields are UTC ISO instants except `index` (0-based). */
export interface DeliveryPeriod {
  index: number;
  start: string;
  end: string;
  due: string;
}

/** A published dataset version, as evidence of a delivery. */
export interface Delivery {
  datasetId: string;
  version: number;
  publishedAt: string;
}

export interface ObligationStatus {
  status: 'on_time' | 'late' | 'missing';
  /** The most recent delivery published at or before `now`. */
  lastDelivery?: Delivery;
  /** The latest period whose due <= now. */
  lastDuePeriod?: DeliveryPeriod;
  /** Due instant of the first period whose due > now, while such a period remains. */
  nextDue?: string;
}

interface ContractDates {
  startsOn: string;
  endsOn: string;
}

interface ObligationTerms {
  every: string;
  graceDays: number;
}

// Same grammar as IsoDurationSchema in schemas/contract.ts (contracts/ imports only types from schemas/).
const ISO_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;
const PLAIN_DATE = /^\d{4}-\d{2}-\d{2}$/;

/* ------------------------------------------------------------------------------------------------
 * Parsing and validation
 * ---------------------------------------------------------------------------------------------- */

function parseDuration(text: string, what: string): string {
  if (typeof text !== 'string' || !ISO_DURATION.test(text)) {
    throw new RangeError(`${what}: expected an ISO-8601 duration such as P1M or P7D, got ${JSON.stringify(text)}`);
  }
  if (!/[1-9]/.test(text)) throw new RangeError(`${what}: the duration must not be zero`);
  if (!isIsoDuration(text)) throw new RangeError(`${what}: each part of the duration must be at most 1000`);
  return text;
}

function parsePlainDate(text: string, what: string): string {
  if (typeof text !== 'string' || !PLAIN_DATE.test(text)) {
    throw new RangeError(`${what}: expected a calendar date YYYY-MM-DD, got ${JSON.stringify(text)}`);
  }
  try {
    return midnightOf(text);
  } catch {
    throw new RangeError(`${what}: ${text} is not a real calendar date`);
  }
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

function parseInstantMs(text: string, what: string): number {
  const ms = typeof text === 'string' && INSTANT.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) throw new RangeError(`${what}: expected an ISO instant such as 2026-01-31T23:00:00Z, got ${JSON.stringify(text)}`);
  return ms;
}

function isoOf(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

/* ------------------------------------------------------------------------------------------------
 * Schedule
 * ---------------------------------------------------------------------------------------------- */

interface Schedule {
  /** Paris midnight of startsOn, as an ISO instant. */
  origin: string;
  endMs: number;
  every: string;
  graceDays: number;
}

interface Period {
  index: number;
  startMs: number;
  endMs: number;
  dueMs: number;
}

function scheduleOf(contract: ContractDates, obligation: ObligationTerms): Schedule {
  const origin = parsePlainDate(contract.startsOn, 'startsOn');
  const end = parsePlainDate(contract.endsOn, 'endsOn');
  if (contract.endsOn <= contract.startsOn) {
    throw new RangeError(`endsOn (${contract.endsOn}) must be after startsOn (${contract.startsOn})`);
  }
  const every = parseDuration(obligation.every, 'every');
  const { graceDays } = obligation;
  if (!Number.isSafeInteger(graceDays) || graceDays < 0) {
    throw new RangeError(`graceDays: expected a non-negative integer, got ${String(graceDays)}`);
  }
  return { origin, endMs: Date.parse(end), every, graceDays };
}

/**
 * Periods in index order, stopping after the first whose due is after `untilMs`
 * (or when the contract ends).
 */
function periodsUntil(schedule: Schedule, untilMs: number): Period[] {
  const { origin, endMs, every, graceDays } = schedule;
  const periods: Period[] = [];
  let startMs = Date.parse(origin);
  for (let index = 0; startMs < endMs; index++) {
    if (index >= MAX_PERIODS) {
      throw new RangeError(`too many delivery periods (more than ${MAX_PERIODS}); use a longer "every"`);
    }
    const nextMs = Date.parse(addDuration(origin, every, index + 1));
    if (nextMs <= startMs) {
      throw new RangeError(`every (${every}) does not advance the schedule`);
    }
    const periodEndMs = Math.min(nextMs, endMs);
    const dueMs = graceDays ? Date.parse(addDuration(isoOf(periodEndMs), `P${graceDays}D`)) : periodEndMs;
    const period = { index, startMs, endMs: periodEndMs, dueMs };
    periods.push(period);
    if (period.dueMs > untilMs) break;
    startMs = nextMs;
  }
  return periods;
}

function publicPeriod(period: Period): DeliveryPeriod {
  return { index: period.index, start: isoOf(period.startMs), end: isoOf(period.endMs), due: isoOf(period.dueMs) };
}

/* ------------------------------------------------------------------------------------------------
 * Attribution of deliveries to periods
 * ---------------------------------------------------------------------------------------------- */

interface TimedDelivery {
  delivery: Delivery;
  ms: number;
}

/** Deliveries published at or before `nowMs`, oldest first (ties by version, then dataset). */
function knownDeliveries(deliveries: readonly Delivery[], nowMs: number): TimedDelivery[] {
  return deliveries
    .map((delivery, i) => ({ delivery, ms: parseInstantMs(delivery.publishedAt, `deliveries[${i}].publishedAt`) }))
    .filter((d) => d.ms <= nowMs)
    .sort(
      (a, b) =>
        a.ms - b.ms ||
        a.delivery.version - b.delivery.version ||
        (a.delivery.datasetId < b.delivery.datasetId ? -1 : a.delivery.datasetId > b.delivery.datasetId ? 1 : 0),
    );
}

/**
 * For each period, its on-time delivery (or undefined): greedily in period order, each period takes
 * the earliest unused delivery with start <= publishedAt < due; a delivery serves at most one period.
 *
 * Starts and dues both grow with the index, so whatever a period skips (too early) or leaves behind
 * is never usable by a later one: a single forward cursor over the sorted deliveries suffices.
 */
function attribute(periods: readonly Period[], deliveries: readonly TimedDelivery[]): (TimedDelivery | undefined)[] {
  const served: (TimedDelivery | undefined)[] = [];
  let cursor = 0;
  for (const period of periods) {
    while (cursor < deliveries.length && deliveries[cursor]!.ms < period.startMs) cursor++;
    const candidate = deliveries[cursor];
    if (candidate !== undefined && candidate.ms < period.dueMs) {
      served.push(candidate);
      cursor++;
    } else {
      served.push(undefined);
    }
  }
  return served;
}

interface Evaluation {
  /** Periods whose due <= now, in index order. */
  due: Period[];
  served: (TimedDelivery | undefined)[];
  /** The first period whose due > now, if any remains. */
  upcoming: Period | undefined;
  known: TimedDelivery[];
}

function evaluate(contract: ContractDates, obligation: ObligationTerms, deliveries: readonly Delivery[], now: string): Evaluation {
  const nowMs = parseInstantMs(now, 'now');
  const schedule = scheduleOf(contract, obligation);
  const known = knownDeliveries(deliveries, nowMs);
  const periods = periodsUntil(schedule, nowMs);
  const due = periods.filter((p) => p.dueMs <= nowMs);
  const upcoming = periods.find((p) => p.dueMs > nowMs);
  return { due, served: attribute(due, known), upcoming, known };
}

/* ------------------------------------------------------------------------------------------------
 * Public API
 * ---------------------------------------------------------------------------------------------- */

/**
 * Periods of an obligation between `startsOn` (inclusive) and `endsOn` (exclusive), as Europe/Paris
 * calendar arithmetic (see {@link obligationStatus} for the rules), in index order. Stops after the
 * first period whose due is after `until` (an ISO instant), or when the contract ends.
 *
 * @throws RangeError on an invalid or zero duration, invalid dates, `endsOn <= startsOn`, a negative
 * or fractional `graceDays`, an invalid `until`, or more than {@link MAX_PERIODS} periods.
 */
export function deliveryPeriods(contract: ContractDates, obligation: ObligationTerms, until: string): DeliveryPeriod[] {
  const untilMs = parseInstantMs(until, 'until');
  return periodsUntil(scheduleOf(contract, obligation), untilMs).map(publicPeriod);
}

/**
 * Compliance of one delivery obligation as of `now` (an ISO instant; the clock is never read).
 *
 * **Periods.** Period k runs from `startsOn + k·every` to `startsOn + (k+1)·every`, the last one cut
 * at `endsOn`. Each boundary is computed in one step from local midnight of `startsOn` in
 * Europe/Paris, every field of the duration multiplied by k (so `P1M` from 2026-01-31 gives
 * 2026-02-28 then 2026-03-31, never 03-28). Calendar units (Y, M, W, D) keep local wall-clock time, so
 * boundaries stay at Paris midnight across DST (23:00Z in winter, 22:00Z in summer); time units
 * (H, M, S, e.g. `PT12H`) are exact elapsed time. `endsOn` means local midnight starting that day.
 *
 * **Due.** The delivery for period k is due at the period's end plus `graceDays` local calendar days.
 *
 * **On time.** A delivery (a published version) is on time for period k when
 * `start_k <= publishedAt < due_k`. Windows of consecutive periods overlap during the grace days, so
 * deliveries are attributed greedily in period order: each period takes the earliest unused delivery
 * inside its window and a delivery serves at most one period. Deliveries published after `now` are
 * ignored entirely.
 *
 * **Status**, from the latest period whose due <= now (`lastDuePeriod`):
 * - no period due yet → `on_time`;
 * - that period has an on-time delivery → `on_time`;
 * - it is the first period, or the period before it had an on-time delivery, or a delivery was
 *   published (by `now`) at or after the due of either of them → `late`;
 * - otherwise (two consecutive due periods with no delivery at all) → `missing`.
 *
 * `lastDelivery` is the most recent delivery with `publishedAt <= now`. `nextDue` is the due of the
 * first period whose due > now; it is still present during the grace days that follow `endsOn`
 * (the last period is still owed) and absent once every period is due.
 *
 * @throws RangeError on invalid input (see {@link deliveryPeriods}), an invalid `now` or an invalid
 * `publishedAt`.
 */
export function obligationStatus(
  contract: ContractDates,
  obligation: ObligationTerms,
  deliveries: readonly Delivery[],
  now: string,
): ObligationStatus {
  const { due, served, upcoming, known } = evaluate(contract, obligation, deliveries, now);
  const result: ObligationStatus = { status: 'on_time' };
  const newest = known[known.length - 1];
  if (newest !== undefined) result.lastDelivery = { ...newest.delivery };
  const m = due.length - 1;
  const last = due[m];
  if (last !== undefined) {
    result.lastDuePeriod = publicPeriod(last);
    if (served[m] === undefined) {
      const previous = due[m - 1];
      const deliveredAfter = (p: Period): boolean => newest !== undefined && newest.ms >= p.dueMs;
      const late = previous === undefined || served[m - 1] !== undefined || deliveredAfter(previous) || deliveredAfter(last);
      result.status = late ? 'late' : 'missing';
    }
  }
  if (upcoming !== undefined) result.nextDue = isoOf(upcoming.dueMs);
  return result;
}

/**
 * Periods whose due <= now and that had no on-time delivery (attributed as in
 * {@link obligationStatus}), in index order — for the schedule to flag once each.
 */
export function overduePeriods(
  contract: ContractDates,
  obligation: ObligationTerms,
  deliveries: readonly Delivery[],
  now: string,
): DeliveryPeriod[] {
  const { due, served } = evaluate(contract, obligation, deliveries, now);
  return due.filter((_, i) => served[i] === undefined).map(publicPeriod);
}

/**
 * Instant at which a version published at `publishedAt` becomes open data: `publishedAt` plus the
 * ISO-8601 duration `openDataAfter`, calendar units reckoned in Europe/Paris local time (P1D across a
 * DST change keeps the wall-clock time; PT24H is exactly 24 hours).
 *
 * @throws RangeError on an invalid instant or an invalid or zero duration.
 */
export function openFromOf(publishedAt: string, openDataAfter: string): string {
  const publishedMs = parseInstantMs(publishedAt, 'publishedAt');
  const after = parseDuration(openDataAfter, 'openDataAfter');
  return addDuration(isoOf(publishedMs), after);
}
