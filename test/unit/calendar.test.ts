import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { addDuration, windowAt } from '../../contracts/calendar.ts';

/** The reference: Temporal's ZonedDateTime arithmetic in Europe/Paris. */
const reference = (instant: string, duration: string, k: number) => {
  const d = Temporal.Duration.from(duration);
  const scaled = Temporal.Duration.from({ years: d.years * k, months: d.months * k, weeks: d.weeks * k, days: d.days * k, hours: d.hours * k, minutes: d.minutes * k, seconds: d.seconds * k });
  return Temporal.Instant.from(instant).toZonedDateTimeISO('Europe/Paris').add(scaled).toInstant().toString({ smallestUnit: 'millisecond' });
};

const durationArb = fc
  .record({ Y: fc.nat(3), M: fc.nat(14), W: fc.nat(5), D: fc.nat(40), H: fc.nat(50), Mi: fc.nat(90), S: fc.nat(90) })
  .filter((p) => Object.values(p).some((v) => v > 0))
  .map((p) => {
    const date = `${p.Y ? `${p.Y}Y` : ''}${p.M ? `${p.M}M` : ''}${p.W ? `${p.W}W` : ''}${p.D ? `${p.D}D` : ''}`;
    const time = `${p.H ? `${p.H}H` : ''}${p.Mi ? `${p.Mi}M` : ''}${p.S ? `${p.S}S` : ''}`;
    return `P${date}${time ? `T${time}` : ''}`;
  });

describe('calendar arithmetic in Europe/Paris', () => {
  it('agrees with Temporal for any instant, duration and multiple', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2040-12-31T00:00:00Z'), noInvalidDate: true }), durationArb, fc.integer({ min: 0, max: 24 }), (date, duration, k) => {
        const instant = date.toISOString();
        expect(addDuration(instant, duration, k)).toBe(reference(instant, duration, k));
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['2026-03-29T00:30:00.000Z', 'P1D'],
    ['2026-03-28T01:30:00.000Z', 'P1D'],
    ['2026-10-24T01:30:00.000Z', 'P1D'],
    ['2026-10-25T00:30:00.000Z', 'PT1H'],
    ['2024-02-29T12:00:00.000Z', 'P1Y'],
    ['2026-01-31T23:00:00.000Z', 'P1M'],
  ])('agrees with Temporal around DST changes and month ends (%s + %s)', (instant, duration) => {
    for (let k = 0; k < 14; k++) expect(addDuration(instant, duration, k)).toBe(reference(instant, duration, k));
  });

  it('places instants in the windows of a period', () => {
    const start = '2026-03-01T00:00:00.000Z';
    for (const at of ['2026-03-01T00:00:00.000Z', '2026-03-29T12:00:00.000Z', '2026-05-31T22:00:00.000Z', '2027-01-01T00:00:00.000Z']) {
      const w = windowAt(start, 'P1M', at);
      expect(Date.parse(w.start)).toBeLessThanOrEqual(Date.parse(at));
      expect(Date.parse(w.end)).toBeGreaterThan(Date.parse(at));
      expect(w.start).toBe(addDuration(start, 'P1M', w.index));
    }
  });
});
