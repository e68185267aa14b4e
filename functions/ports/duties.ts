import type { Duty } from '../../schemas/index.ts';
import type { PendingAuditEvent } from '../domain/audit/audit-trail.ts';

/** Tracked duties of licences; overdue-able ones are indexed by due date while open. */
export interface DutyStore {
  /** Creates duties that do not exist yet (ids are deterministic, so repeats are harmless). */
  createDuties(duties: readonly Duty[]): Promise<void>;
  listDuties(licenceId: string): Promise<Duty[]>;
  getDuty(licenceId: string, dutyId: string): Promise<Duty | undefined>;
  /** Moves a duty from one of `from` to `to` with the given fields, adjusting the licence's overdue count; false when it was not in `from`. */
  updateDuty(licenceId: string, dutyId: string, from: readonly Duty['status'][], to: Duty['status'], set: Partial<Duty>, event: PendingAuditEvent, overdueDelta?: number): Promise<boolean>;
  /** Open duties whose due date has passed, oldest first. */
  dueBefore(now: string, limit: number): Promise<Pick<Duty, 'licenceId' | 'dutyId'>[]>;
  /** Open duties due after `after` and at or before `until` (the reminders' window), soonest first. */
  dueBetween(after: string, until: string): Promise<Pick<Duty, 'licenceId' | 'dutyId' | 'dueAt'>[]>;
}
