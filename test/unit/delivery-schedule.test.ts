import { describe, expect, it } from 'vitest';
import {
  MAX_PERIODS,
  deliveryPeriods,
  obligationStatus,
  openFromOf,
  overduePeriods,
  type Delivery,
  type DeliveryPeriod,
  type ObligationStatus,
} from '../../contracts/delivery-schedule.ts';

const FAR = '2100-01-01T00:00:00Z';

/** A delivery of version `version` published at `publishedAt`. */
const d = (publishedAt: string, version = 1): Delivery => ({ datasetId: 'ds-bus-gtfs', version, publishedAt });

// 2026, monthly, 10 grace days. Paris is UTC+1 until 2026-03-29 and UTC+2 after.
const year2026 = { startsOn: '2026-01-01', endsOn: '2027-01-01' };
const monthly = { every: 'P1M', graceDays: 10 };
const P0: DeliveryPeriod = { index: 0, start: '2025-12-31T23:00:00.000Z', end: '2026-01-31T23:00:00.000Z', due: '2026-02-10T23:00:00.000Z' };
const P1: DeliveryPeriod = { index: 1, start: '2026-01-31T23:00:00.000Z', end: '2026-02-28T23:00:00.000Z', due: '2026-03-10T23:00:00.000Z' };
const P2: DeliveryPeriod = { index: 2, start: '2026-02-28T23:00:00.000Z', end: '2026-03-31T22:00:00.000Z', due: '2026-04-10T22:00:00.000Z' };
const P3: DeliveryPeriod = { index: 3, start: '2026-03-31T22:00:00.000Z', end: '2026-04-30T22:00:00.000Z', due: '2026-05-10T22:00:00.000Z' };

describe('deliveryPeriods', () => {
  it.each<[string, { startsOn: string; endsOn: string }, { every: string; graceDays: number }, string, DeliveryPeriod[]]>([
    ['shouldBe_monthlyAtParisMidnight_when_P1MWithGrace', year2026, monthly, '2026-04-15T00:00:00Z', [P0, P1, P2, P3]],
    ['shouldBe_stoppedAfterFirstPeriodDueAfterUntil_when_untilIsEarly', year2026, monthly, '2026-03-01T00:00:00Z', [P0, P1]],
    ['shouldBe_onePeriodAlready_when_untilBeforeFirstDue', year2026, monthly, '2020-01-01T00:00:00Z', [P0]],
    [
      'shouldBe_endOfMonthClampedFromOrigin_when_P1MFromJan31',
      { startsOn: '2026-01-31', endsOn: '2026-06-01' },
      { every: 'P1M', graceDays: 0 },
      FAR,
      [
        { index: 0, start: '2026-01-30T23:00:00.000Z', end: '2026-02-27T23:00:00.000Z', due: '2026-02-27T23:00:00.000Z' }, // Feb 28
        { index: 1, start: '2026-02-27T23:00:00.000Z', end: '2026-03-30T22:00:00.000Z', due: '2026-03-30T22:00:00.000Z' }, // Mar 31, not Mar 28
        { index: 2, start: '2026-03-30T22:00:00.000Z', end: '2026-04-29T22:00:00.000Z', due: '2026-04-29T22:00:00.000Z' }, // Apr 30
        { index: 3, start: '2026-04-29T22:00:00.000Z', end: '2026-05-30T22:00:00.000Z', due: '2026-05-30T22:00:00.000Z' }, // May 31
        { index: 4, start: '2026-05-30T22:00:00.000Z', end: '2026-05-31T22:00:00.000Z', due: '2026-05-31T22:00:00.000Z' }, // cut at Jun 1
      ],
    ],
    [
      'shouldBe_atParisMidnight_when_weeklyAcrossMarchDst',
      { startsOn: '2026-03-16', endsOn: '2026-04-13' },
      { every: 'P7D', graceDays: 1 },
      FAR,
      [
        { index: 0, start: '2026-03-15T23:00:00.000Z', end: '2026-03-22T23:00:00.000Z', due: '2026-03-23T23:00:00.000Z' },
        { index: 1, start: '2026-03-22T23:00:00.000Z', end: '2026-03-29T22:00:00.000Z', due: '2026-03-30T22:00:00.000Z' }, // 167 h long
        { index: 2, start: '2026-03-29T22:00:00.000Z', end: '2026-04-05T22:00:00.000Z', due: '2026-04-06T22:00:00.000Z' },
        { index: 3, start: '2026-04-05T22:00:00.000Z', end: '2026-04-12T22:00:00.000Z', due: '2026-04-13T22:00:00.000Z' },
      ],
    ],
    [
      'shouldBe_atParisMidnight_when_weeklyAcrossOctoberDst',
      { startsOn: '2026-10-19', endsOn: '2026-11-02' },
      { every: 'P7D', graceDays: 0 },
      FAR,
      [
        { index: 0, start: '2026-10-18T22:00:00.000Z', end: '2026-10-25T23:00:00.000Z', due: '2026-10-25T23:00:00.000Z' }, // 169 h long
        { index: 1, start: '2026-10-25T23:00:00.000Z', end: '2026-11-01T23:00:00.000Z', due: '2026-11-01T23:00:00.000Z' },
      ],
    ],
    [
      'shouldBe_graceInLocalDays_when_graceSpansDst',
      { startsOn: '2026-03-01', endsOn: '2026-04-01' },
      { every: 'P1M', graceDays: 30 },
      FAR,
      [{ index: 0, start: '2026-02-28T23:00:00.000Z', end: '2026-03-31T22:00:00.000Z', due: '2026-04-30T22:00:00.000Z' }],
    ],
    [
      'shouldBe_exactHalfDays_when_PT12HAcrossDstAndCutAtEnd',
      { startsOn: '2026-03-28', endsOn: '2026-03-30' },
      { every: 'PT12H', graceDays: 0 },
      FAR,
      [
        { index: 0, start: '2026-03-27T23:00:00.000Z', end: '2026-03-28T11:00:00.000Z', due: '2026-03-28T11:00:00.000Z' },
        { index: 1, start: '2026-03-28T11:00:00.000Z', end: '2026-03-28T23:00:00.000Z', due: '2026-03-28T23:00:00.000Z' },
        { index: 2, start: '2026-03-28T23:00:00.000Z', end: '2026-03-29T11:00:00.000Z', due: '2026-03-29T11:00:00.000Z' },
        { index: 3, start: '2026-03-29T11:00:00.000Z', end: '2026-03-29T22:00:00.000Z', due: '2026-03-29T22:00:00.000Z' }, // 23-hour day: cut
      ],
    ],
    [
      'shouldBe_lastPeriodCutAtEndsOn_when_contractEndsMidPeriod',
      { startsOn: '2026-01-01', endsOn: '2026-02-15' },
      monthly,
      FAR,
      [P0, { index: 1, start: '2026-01-31T23:00:00.000Z', end: '2026-02-14T23:00:00.000Z', due: '2026-02-24T23:00:00.000Z' }],
    ],
    [
      'shouldBe_onePeriod_when_everyLongerThanContract',
      { startsOn: '2026-01-01', endsOn: '2026-01-02' },
      { every: 'P1Y', graceDays: 0 },
      FAR,
      [{ index: 0, start: '2025-12-31T23:00:00.000Z', end: '2026-01-01T23:00:00.000Z', due: '2026-01-01T23:00:00.000Z' }],
    ],
  ])('%s', (_name, contract, obligation, until, expected) => {
    expect(deliveryPeriods(contract, obligation, until)).toEqual(expected);
  });

  it('shouldBe_countedUpToTheCap_when_PT1SOverOneDayIsWithinIt', () => {
    const periods = deliveryPeriods({ startsOn: '2026-06-01', endsOn: '2026-06-02' }, { every: 'PT1S', graceDays: 0 }, FAR);
    expect(periods).toHaveLength(86_400);
    expect(periods.at(-1)).toEqual({ index: 86_399, start: '2026-06-01T21:59:59.000Z', end: '2026-06-01T22:00:00.000Z', due: '2026-06-01T22:00:00.000Z' });
  });
});

describe('obligationStatus', () => {
  it.each<[string, readonly Delivery[], string, ObligationStatus]>([
    ['shouldBe_onTime_when_noPeriodDueYet', [], '2026-01-20T12:00:00Z', { status: 'on_time', nextDue: P0.due }],
    [
      'shouldBe_onTime_when_deliveredDuringThePeriod',
      [d('2026-01-25T08:00:00Z')],
      '2026-02-15T12:00:00Z',
      { status: 'on_time', lastDelivery: d('2026-01-25T08:00:00Z'), lastDuePeriod: P0, nextDue: P1.due },
    ],
    [
      'shouldBe_onTime_when_deliveredInsideTheGraceWindow',
      [d('2026-02-10T22:59:59Z')],
      '2026-02-15T12:00:00Z',
      { status: 'on_time', lastDelivery: d('2026-02-10T22:59:59Z'), lastDuePeriod: P0, nextDue: P1.due },
    ],
    [
      'shouldBe_late_when_deliveredExactlyAtTheDue',
      [d('2026-02-10T23:00:00Z')],
      '2026-02-15T12:00:00Z',
      { status: 'late', lastDelivery: d('2026-02-10T23:00:00Z'), lastDuePeriod: P0, nextDue: P1.due },
    ],
    ['shouldBe_late_when_firstPeriodMissed', [], '2026-02-15T12:00:00Z', { status: 'late', lastDuePeriod: P0, nextDue: P1.due }],
    [
      'shouldBe_late_when_graceExpiredAfterAnOnTimePeriod',
      [d('2026-01-20T10:00:00Z')],
      '2026-03-15T12:00:00Z',
      { status: 'late', lastDelivery: d('2026-01-20T10:00:00Z'), lastDuePeriod: P1, nextDue: P2.due },
    ],
    [
      'shouldBe_late_when_deliveredAfterTheDue',
      [d('2026-03-12T09:00:00Z')],
      '2026-03-15T12:00:00Z',
      { status: 'late', lastDelivery: d('2026-03-12T09:00:00Z'), lastDuePeriod: P1, nextDue: P2.due },
    ],
    ['shouldBe_missing_when_twoConsecutivePeriodsMissed', [], '2026-03-15T12:00:00Z', { status: 'missing', lastDuePeriod: P1, nextDue: P2.due }],
    [
      'shouldBe_missing_when_twoMissedAfterAnOnTimeOne',
      [d('2026-01-10T10:00:00Z')],
      '2026-04-15T12:00:00Z',
      { status: 'missing', lastDelivery: d('2026-01-10T10:00:00Z'), lastDuePeriod: P2, nextDue: P3.due },
    ],
    [
      'shouldBe_missing_when_theOnlyDeliveryIsAfterNow',
      [d('2026-03-20T10:00:00Z')],
      '2026-03-15T12:00:00Z',
      { status: 'missing', lastDuePeriod: P1, nextDue: P2.due },
    ],
    [
      'shouldBe_late_when_deliveryBeforeStartsOnDoesNotCount',
      [d('2025-12-15T10:00:00Z')],
      '2026-02-15T12:00:00Z',
      { status: 'late', lastDelivery: d('2025-12-15T10:00:00Z'), lastDuePeriod: P0, nextDue: P1.due },
    ],
    [
      'shouldBe_onTime_when_twoGraceWindowDeliveriesServeTwoPeriods',
      [d('2026-02-05T10:00:00Z', 2), d('2026-02-03T10:00:00Z', 1)],
      '2026-03-15T12:00:00Z',
      { status: 'on_time', lastDelivery: d('2026-02-05T10:00:00Z', 2), lastDuePeriod: P1, nextDue: P2.due },
    ],
    [
      'shouldBe_late_when_oneGraceWindowDeliveryServesOnlyTheEarlierPeriod',
      [d('2026-02-03T10:00:00Z')],
      '2026-03-15T12:00:00Z',
      { status: 'late', lastDelivery: d('2026-02-03T10:00:00Z'), lastDuePeriod: P1, nextDue: P2.due },
    ],
  ])('%s', (_name, deliveries, now, expected) => {
    expect(obligationStatus(year2026, monthly, deliveries, now)).toEqual(expected);
  });

  it.each<[string, string, ObligationStatus]>([
    [
      'shouldBe_nextDueInGrace_when_contractEndedButLastPeriodNotYetDue',
      '2026-02-20T12:00:00Z',
      {
        status: 'on_time',
        lastDelivery: d('2026-01-20T10:00:00Z'),
        lastDuePeriod: P0,
        nextDue: '2026-02-24T23:00:00.000Z',
      },
    ],
    [
      'shouldBe_withoutNextDue_when_everyPeriodIsDue',
      '2026-03-01T12:00:00Z',
      {
        status: 'late',
        lastDelivery: d('2026-01-20T10:00:00Z'),
        lastDuePeriod: { index: 1, start: '2026-01-31T23:00:00.000Z', end: '2026-02-14T23:00:00.000Z', due: '2026-02-24T23:00:00.000Z' },
      },
    ],
  ])('%s', (_name, now, expected) => {
    const short = { startsOn: '2026-01-01', endsOn: '2026-02-15' };
    expect(obligationStatus(short, monthly, [d('2026-01-20T10:00:00Z')], now)).toEqual(expected);
  });

  it('shouldBe_lateThenOnTime_when_weeklyAcrossDst', () => {
    const contract = { startsOn: '2026-03-16', endsOn: '2026-04-13' };
    const weekly = { every: 'P7D', graceDays: 0 };
    // Sunday 29 March 23:30 Paris (21:30Z) is still in week 1, which ends at Monday 00:00 CEST (22:00Z).
    const deliveries = [d('2026-03-20T10:00:00Z', 1), d('2026-03-29T21:30:00Z', 2)];
    expect(obligationStatus(contract, weekly, deliveries, '2026-03-29T22:00:00Z').status).toBe('on_time');
    expect(obligationStatus(contract, weekly, [d('2026-03-20T10:00:00Z', 1), d('2026-03-29T22:00:00Z', 2)], '2026-03-29T22:00:00Z').status).toBe('late');
  });
});

describe('overduePeriods', () => {
  it.each<[string, readonly Delivery[], string, number[]]>([
    ['shouldBe_empty_when_noPeriodDueYet', [], '2026-01-20T12:00:00Z', []],
    ['shouldBe_allDuePeriods_when_nothingDelivered', [], '2026-04-15T12:00:00Z', [0, 1, 2]],
    ['shouldBe_empty_when_graceWindowDeliveriesServeBothPeriods', [d('2026-02-03T10:00:00Z'), d('2026-02-05T10:00:00Z')], '2026-03-15T12:00:00Z', []],
    ['shouldBe_laterPeriod_when_oneGraceWindowDeliveryIsTakenByTheEarlier', [d('2026-02-03T10:00:00Z')], '2026-03-15T12:00:00Z', [1]],
    [
      'shouldBe_earliestUnusedTaken_when_deliveriesCrowdOnePeriod',
      // P0 takes Jan 10; Jan 20 precedes P1's start; P1 takes Feb 5; P2 has nothing in its window.
      [d('2026-01-10T10:00:00Z', 1), d('2026-01-20T10:00:00Z', 2), d('2026-02-05T10:00:00Z', 3)],
      '2026-04-15T12:00:00Z',
      [2],
    ],
    ['shouldBe_withoutTheLateOnes_when_aDeliveryCameAfterGrace', [d('2026-03-12T09:00:00Z')], '2026-04-15T12:00:00Z', [0, 1]],
    ['shouldBe_ignoringFutureDeliveries_when_publishedAfterNow', [d('2026-01-10T10:00:00Z')], '2026-01-09T12:00:00Z', []],
  ])('%s', (_name, deliveries, now, expected) => {
    expect(overduePeriods(year2026, monthly, deliveries, now).map((p) => p.index)).toEqual(expected);
  });

  it('shouldBe_fullPeriods_when_returned', () => {
    expect(overduePeriods(year2026, monthly, [], '2026-03-15T12:00:00Z')).toEqual([P0, P1]);
  });
});

describe('openFromOf', () => {
  it.each([
    ['shouldBe_sixCalendarMonthsLater_when_P6MAcrossDst', '2026-01-15T10:00:00Z', 'P6M', '2026-07-15T09:00:00.000Z'],
    ['shouldBe_clampedToMonthEnd_when_P6MFromAug31', '2026-08-31T10:00:00Z', 'P6M', '2027-02-28T11:00:00.000Z'],
    ['shouldBe_sameWallClockNextDay_when_P1DAcrossSpringDst', '2026-03-28T12:00:00Z', 'P1D', '2026-03-29T11:00:00.000Z'],
    ['shouldBe_sameWallClockNextDay_when_P1DAcrossAutumnDst', '2026-10-24T12:00:00Z', 'P1D', '2026-10-25T13:00:00.000Z'],
    ['shouldBe_exactly24Hours_when_PT24H', '2026-03-28T12:00:00Z', 'PT24H', '2026-03-29T12:00:00.000Z'],
    ['shouldBe_normalisedToUtc_when_publishedWithOffset', '2026-01-15T11:00:00+01:00', 'P1D', '2026-01-16T10:00:00.000Z'],
  ])('%s', (_name, publishedAt, after, expected) => {
    expect(openFromOf(publishedAt, after)).toBe(expected);
  });
});

describe('invalid input', () => {
  const ok = { contract: year2026, obligation: monthly };
  it.each<[string, () => unknown]>([
    ['shouldBe_rejected_when_everyIsZeroDays', () => deliveryPeriods(ok.contract, { every: 'P0D', graceDays: 0 }, FAR)],
    ['shouldBe_rejected_when_everyIsZeroSeconds', () => deliveryPeriods(ok.contract, { every: 'PT0S', graceDays: 0 }, FAR)],
    ['shouldBe_rejected_when_everyIsNotADuration', () => deliveryPeriods(ok.contract, { every: 'monthly', graceDays: 0 }, FAR)],
    ['shouldBe_rejected_when_everyIsBareP', () => deliveryPeriods(ok.contract, { every: 'P', graceDays: 0 }, FAR)],
    ['shouldBe_rejected_when_everyIsBarePT', () => deliveryPeriods(ok.contract, { every: 'PT', graceDays: 0 }, FAR)],
    ['shouldBe_rejected_when_everyIsNegative', () => deliveryPeriods(ok.contract, { every: '-P1M', graceDays: 0 }, FAR)],
    ['shouldBe_rejected_when_everyIsFractional', () => deliveryPeriods(ok.contract, { every: 'P1.5D', graceDays: 0 }, FAR)],
    ['shouldBe_rejected_when_endsOnEqualsStartsOn', () => deliveryPeriods({ startsOn: '2026-01-01', endsOn: '2026-01-01' }, monthly, FAR)],
    ['shouldBe_rejected_when_endsOnBeforeStartsOn', () => deliveryPeriods({ startsOn: '2026-01-01', endsOn: '2025-12-31' }, monthly, FAR)],
    ['shouldBe_rejected_when_startsOnIsImpossible', () => deliveryPeriods({ startsOn: '2026-02-30', endsOn: '2026-12-31' }, monthly, FAR)],
    ['shouldBe_rejected_when_startsOnHasATime', () => deliveryPeriods({ startsOn: '2026-01-01T00:00:00Z', endsOn: '2026-12-31' }, monthly, FAR)],
    ['shouldBe_rejected_when_graceDaysNegative', () => deliveryPeriods(ok.contract, { every: 'P1M', graceDays: -1 }, FAR)],
    ['shouldBe_rejected_when_graceDaysFractional', () => deliveryPeriods(ok.contract, { every: 'P1M', graceDays: 1.5 }, FAR)],
    ['shouldBe_rejected_when_untilIsNotAnInstant', () => deliveryPeriods(ok.contract, monthly, '2026-01-01')],
    [
      'shouldBe_rejected_when_moreThanTheCapOfPeriods',
      () => deliveryPeriods({ startsOn: '2026-06-01', endsOn: '2026-06-03' }, { every: 'PT1S', graceDays: 0 }, FAR),
    ],
    ['shouldBe_rejected_when_nowIsNotAnInstant', () => obligationStatus(ok.contract, monthly, [], 'now')],
    ['shouldBe_rejected_when_publishedAtIsNotAnInstant', () => obligationStatus(ok.contract, monthly, [d('yesterday')], FAR)],
    ['shouldBe_rejected_when_overdueGetsABadDuration', () => overduePeriods(ok.contract, { every: 'P1X', graceDays: 0 }, [], FAR)],
    ['shouldBe_rejected_when_openDataAfterIsZero', () => openFromOf('2026-01-15T10:00:00Z', 'P0M')],
    ['shouldBe_rejected_when_openDataAfterIsNotADuration', () => openFromOf('2026-01-15T10:00:00Z', '6 months')],
    ['shouldBe_rejected_when_openFromPublishedAtIsNotAnInstant', () => openFromOf('not-a-date', 'P6M')],
  ])('%s', (_name, call) => {
    expect(call).toThrow(RangeError);
  });

  it('shouldBe_theDocumentedCap_when_exported', () => {
    expect(MAX_PERIODS).toBe(100_000);
  });
});
