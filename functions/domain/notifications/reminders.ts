import { deliveryPeriods, overduePeriods } from '../../../contracts/delivery-schedule.ts';
import type { ContractStore } from '../../ports/contracts.ts';
import type { DutyStore } from '../../ports/duties.ts';
import type { LicenceStore } from '../../ports/licensing.ts';
import type { ReminderMarks } from '../../ports/notifications.ts';
import { AuditTrail, systemActor } from '../audit/audit-trail.ts';

/** The reminder events the schedule raises, one per deadline (not register proofs: named `reminder.*`). */
export const REMINDER_EVENTS = ['reminder.delivery.due', 'reminder.duty.due', 'reminder.licence.expiring'] as const;

/** How far ahead each reminder looks, in days. */
export interface ReminderHorizons {
  /** A DSP delivery due within N days and not delivered yet (the territory's setting, 7 by default). */
  readonly deliveryDays: number;
  readonly dutyDays: number;
  readonly expiryDays: number;
}

export const DEFAULT_HORIZONS: ReminderHorizons = { deliveryDays: 7, dutyDays: 7, expiryDays: 30 };

/** The delivery horizon a territory configured (`COMPTOIR_DELIVERY_REMINDER_DAYS`): whole days from 1 to 366, 7 when unset. */
export function deliveryDaysFrom(value: string | undefined): number {
  if (value === undefined) return DEFAULT_HORIZONS.deliveryDays;
  if (!/^[1-9]\d{0,2}$/.test(value) || Number(value) > 366) throw new RangeError(`COMPTOIR_DELIVERY_REMINDER_DAYS must be a whole number of days from 1 to 366, not ${value}`);
  return Number(value);
}

export interface RemindersResult {
  readonly deliveriesDue: number;
  readonly dutiesDue: number;
  readonly licencesExpiring: number;
}

const DAY_MS = 24 * 3600_000;

/** The schedule's reminders of deadlines ahead: each raised once (a conditional marker with its event). */
export class ReminderService {
  constructor(
    private readonly deps: {
      contracts: Pick<ContractStore, 'listContracts' | 'deliveries'>;
      duties: Pick<DutyStore, 'dueBetween'>;
      licences: Pick<LicenceStore, 'listByState' | 'getLicence'>;
      marks: ReminderMarks;
      audit: AuditTrail;
      horizons?: ReminderHorizons;
    },
  ) {}

  private get horizons(): ReminderHorizons {
    return this.deps.horizons ?? DEFAULT_HORIZONS;
  }

  /** Every reminder due at `now`; each job runs even when another fails. */
  async remind(now: Date): Promise<RemindersResult> {
    const [deliveries, duties, expiries] = await Promise.allSettled([this.deliveriesDue(now), this.dutiesDue(now), this.licencesExpiring(now)]);
    const failures = [deliveries, duties, expiries].filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as Error);
    if (failures.length) throw new AggregateError(failures, `${failures.length} reminder job(s) failed`);
    const value = (r: PromiseSettledResult<number>) => (r as PromiseFulfilledResult<number>).value;
    return { deliveriesDue: value(deliveries), dutiesDue: value(duties), licencesExpiring: value(expiries) };
  }

  /** DSP periods due within the horizon that no delivery serves yet: the operator is reminded once per period. */
  async deliveriesDue(now: Date): Promise<number> {
    const horizon = new Date(now.getTime() + this.horizons.deliveryDays * DAY_MS).toISOString();
    let raised = 0;
    let cursor: string | undefined;
    do {
      const page = await this.deps.contracts.listContracts({ limit: 50, ...(cursor ? { cursor } : {}) });
      for (const contract of page.items) {
        for (const o of contract.obligations) {
          const soon = deliveryPeriods(contract, o, horizon).filter((p) => p.due > now.toISOString() && p.due <= horizon);
          if (!soon.length) continue;
          // Overdue at the horizon with what is delivered now: the periods still owed.
          const owed = new Set(overduePeriods(contract, o, await this.deps.contracts.deliveries(contract.id, o.id), horizon).map((p) => p.index));
          for (const period of soon.filter((p) => owed.has(p.index))) {
            const event = this.deps.audit.record({
              actor: systemActor('schedule'),
              action: 'reminder.delivery.due',
              subject: contract.id,
              parties: [contract.operatorId],
              data: { operatorId: contract.operatorId, obligationId: o.id, title: o.title, period: period.index, due: period.due },
            });
            if (await this.deps.marks.remind(`delivery#${contract.id}#${o.id}#${period.index}`, event)) raised += 1;
          }
        }
      }
      cursor = page.cursor;
    } while (cursor);
    return raised;
  }

  /** Open duties due within the horizon: the licensee is reminded once per duty and due date. */
  async dutiesDue(now: Date): Promise<number> {
    const horizon = new Date(now.getTime() + this.horizons.dutyDays * DAY_MS).toISOString();
    let raised = 0;
    for (const duty of await this.deps.duties.dueBetween(now.toISOString(), horizon)) {
      const licence = await this.deps.licences.getLicence(duty.licenceId);
      if (!licence) continue;
      const event = this.deps.audit.record({
        actor: systemActor('schedule'),
        action: 'reminder.duty.due',
        subject: licence.id,
        parties: [licence.licensor.id, licence.licensee.id],
        data: { licenseeId: licence.licensee.id, dutyId: duty.dutyId, dueAt: duty.dueAt ?? '' },
      });
      if (await this.deps.marks.remind(`duty#${licence.id}#${duty.dutyId}#${duty.dueAt}`, event)) raised += 1;
    }
    return raised;
  }

  /** Licences whose validity ends within the horizon: the licensee is reminded once per end date. */
  async licencesExpiring(now: Date): Promise<number> {
    const horizon = new Date(now.getTime() + this.horizons.expiryDays * DAY_MS).toISOString();
    let raised = 0;
    for (const state of ['active', 'suspended'] as const) {
      let cursor: string | undefined;
      do {
        const page = await this.deps.licences.listByState(state, { limit: 100, ...(cursor ? { cursor } : {}) });
        for (const licence of page.items) {
          if (!licence.expiresAt || licence.expiresAt <= now.toISOString() || licence.expiresAt > horizon) continue;
          const event = this.deps.audit.record({
            actor: systemActor('schedule'),
            action: 'reminder.licence.expiring',
            subject: licence.id,
            parties: [licence.licensor.id, licence.licensee.id],
            data: { licenseeId: licence.licensee.id, expiresAt: licence.expiresAt },
          });
          if (await this.deps.marks.remind(`expiry#${licence.id}#${licence.expiresAt}`, event)) raised += 1;
        }
        cursor = page.cursor;
      } while (cursor);
    }
    return raised;
  }
}
