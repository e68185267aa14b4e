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

/** Wall-clock parts of an instant in the territory's time zone (Intl knows the DST rules; no polyfill needed). */
const WALL = new Intl.DateTimeFormat('en-GB', {
  timeZone: TERRITORY_TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

interface Wall {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  ms: number;
}

function wallOf(ms: number): Wall {
  const parts = Object.fromEntries(WALL.formatToParts(new Date(ms)).map((p) => [p.type, Number(p.value)])) as Record<string, number>;
  return { y: parts.year!, mo: parts.month!, d: parts.day!, h: parts.hour!, mi: parts.minute!, s: parts.second!, ms: ((ms % 1000) + 1000) % 1000 };
}

const asUtc = (w: Wall) => Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s, w.ms);
/** Paris minus UTC at an instant, in milliseconds. */
const offsetAt = (ms: number) => asUtc(wallOf(ms)) - ms;

/**
 * The instant of a Paris wall-clock time, disambiguated as Temporal's "compatible": in the autumn
 * overlap the earlier instant, in the spring gap the time shifted forward by the gap.
 */
function instantOfWall(w: Wall): number {
  const local = asUtc(w);
  // DST changes are months apart: the offsets half a day around cover both sides of any change.
  const before = offsetAt(local - 43_200_000);
  const after = offsetAt(local + 43_200_000);
  const valid = [...new Set([before, after])].map((o) => local - o).filter((t) => asUtc(wallOf(t)) === local);
  return valid.length ? Math.min(...valid) : local - before;
}

/** The instant of local midnight, Paris time, starting a calendar date (YYYY-MM-DD). */
export function midnightOf(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const [y, mo, d] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [NaN, NaN, NaN];
  if (!m || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) throw new RangeError(`not a calendar date YYYY-MM-DD: ${date}`);
  return new Date(instantOfWall({ y, mo, d, h: 0, mi: 0, s: 0, ms: 0 })).toISOString();
}

const daysInMonth = (y: number, mo: number) => new Date(Date.UTC(y, mo, 0)).getUTCDate();

function partsOf(duration: string): number[] {
  const m = ISO_DURATION.exec(duration)!;
  return [m[1], m[2], m[3], m[4], m[6], m[7], m[8]].map((x) => (x ? Number.parseInt(x, 10) : 0));
}

/**
 * `instant + k·duration`: years, months, weeks and days in Paris wall-clock time (so P1M from Jan 31
 * is Feb 28, and a day across a DST change keeps the hour), then hours, minutes, seconds as elapsed time.
 */
export function addDuration(instant: string, duration: string, k = 1): string {
  if (!isIsoDuration(duration)) throw new RangeError(`not an ISO-8601 duration: ${duration}`);
  const startMs = Date.parse(instant);
  if (Number.isNaN(startMs)) throw new RangeError(`not an ISO-8601 instant: ${instant}`);
  const [years, months, weeks, days, hours, minutes, seconds] = partsOf(duration).map((n) => n * k) as [number, number, number, number, number, number, number];
  const w = wallOf(startMs);
  const monthIndex = w.y * 12 + (w.mo - 1) + years * 12 + months;
  const y = Math.floor(monthIndex / 12);
  const mo = (monthIndex % 12) + 1;
  const shifted = new Date(Date.UTC(y, mo - 1, Math.min(w.d, daysInMonth(y, mo)) + weeks * 7 + days));
  const wall: Wall = { ...w, y: shifted.getUTCFullYear(), mo: shifted.getUTCMonth() + 1, d: shifted.getUTCDate() };
  // Without calendar units the start instant stands: re-reading its wall time would pick the first of a repeated autumn hour.
  const base = years || months || weeks || days ? instantOfWall(wall) : startMs;
  const result = base + ((hours * 60 + minutes) * 60 + seconds) * 1000;
  if (!Number.isFinite(result) || Math.abs(result) > 8.64e15) throw new RangeError(`${duration} × ${k} leaves the representable dates`);
  return new Date(result).toISOString();
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
