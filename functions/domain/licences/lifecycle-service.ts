import { addDuration } from '../../../contracts/calendar.ts';
import type { Clause, ClauseOf } from '../../../contracts/clauses/clause.ts';
import type { Duty } from '../../../schemas/index.ts';
import type { CatalogueStore } from '../../ports/catalogue.ts';
import type { DutyStore } from '../../ports/duties.ts';
import type { LicenceStore, LicenceTransition, StoredLicence } from '../../ports/licensing.ts';
import type { Clock } from '../../ports/time.ts';
import { AuditTrail, actorOf, systemActor, type PendingAuditEvent } from '../audit/audit-trail.ts';
import { BusinessRuleError, ForbiddenError, NotFoundError, StateConflictError } from '../errors.ts';
import { actorIdOf, isOfficer, type Principal } from '../model.ts';
import { LicenceNotFoundError } from './errors.ts';

type PeriodicKind = 'share-back' | 'usage-report';
const ATTESTABLE = new Set<Duty['kind']>(['delete-on-expiry', 'usage-report']);

/** Period k of a periodic duty, counted from activation in the territory's calendar. */
function periodic(licence: StoredLicence, clause: ClauseOf<PeriodicKind>, index: number, createdAt: string): Duty {
  const activatedAt = licence.activatedAt!;
  const every = clause.params.every;
  const start = addDuration(activatedAt, every, index);
  const end = addDuration(activatedAt, every, index + 1);
  const grace = clause.kind === 'share-back' ? clause.params.graceDays : 0;
  return {
    dutyId: `${clause.kind}-${index}`,
    licenceId: licence.id,
    kind: clause.kind,
    status: 'open',
    dueAt: grace ? addDuration(end, `P${grace}D`) : end,
    period: { index, start, end },
    params: clause.params,
    createdAt,
  };
}

/** The first duties of a licence activated at `licence.activatedAt`, created with the activation itself. */
export function initialDuties(licence: StoredLicence, now: string): Duty[] {
  return licence.clauses.flatMap((c: Clause): Duty[] => {
    switch (c.kind) {
      case 'share-back':
      case 'usage-report':
        return [periodic(licence, c, 0, now)];
      case 'attribution':
        return [{ dutyId: 'attribution', licenceId: licence.id, kind: 'attribution', status: 'ongoing', params: c.params, createdAt: now }];
      case 'delete-on-expiry':
        return licence.expiresAt
          ? [{ dutyId: 'delete-on-expiry', licenceId: licence.id, kind: 'delete-on-expiry', status: 'open', dueAt: c.params.withinDays ? addDuration(licence.expiresAt, `P${c.params.withinDays}D`) : licence.expiresAt, params: c.params, createdAt: now }]
        : [];
      default:
        return [];
    }
  });
}

/** States in which a licence has ended: its deletion duty can be attested whatever the planned expiry. */
const ENDED = new Set<StoredLicence['state']>(['expired', 'terminated', 'revoked']);

/**
 * The deletion duty when a licence ends at `endedAt` (terminated, revoked): due `withinDays` after the
 * actual end rather than after the planned expiry. The open duty's due date moves earlier (conditional
 * on the date read); a licence without expiry, which had no such duty, gets it now.
 */
export function deletionAtEnd(licence: StoredLicence, current: Duty | undefined, endedAt: string): Pick<LicenceTransition, 'createDuties' | 'moveDuties'> {
  const clause = licence.clauses.find((c): c is ClauseOf<'delete-on-expiry'> => c.kind === 'delete-on-expiry');
  if (!clause || !licence.activatedAt) return {};
  const dueAt = clause.params.withinDays ? addDuration(endedAt, `P${clause.params.withinDays}D`) : endedAt;
  if (!current) return { createDuties: [{ dutyId: 'delete-on-expiry', licenceId: licence.id, kind: 'delete-on-expiry', status: 'open', dueAt, params: clause.params, createdAt: endedAt }] };
  // Ending after the planned expiry changes nothing: the duty already runs from the expiry.
  if (current.status !== 'open' || !current.dueAt || current.dueAt <= dueAt) return {};
  return { moveDuties: [{ dutyId: current.dutyId, from: current.dueAt, dueAt }] };
}

/**
 * What happens to licences with time and behaviour: obligations become tracked duties; a share-back
 * is fulfilled by publishing; an overdue duty suspends the licence until fulfilled; validity ends in expiry.
 */
export class LicenceLifecycle {
  constructor(private readonly deps: { duties: DutyStore; licences: LicenceStore; catalogue: CatalogueStore; audit: AuditTrail; clock: Clock }) {}

  async list(principal: Principal, licenceId: string): Promise<{ items: Duty[] }> {
    const licence = await this.deps.licences.getLicence(licenceId);
    if (!licence || (!isOfficer(principal) && licence.licensee.id !== principal.partnerId && licence.licensor.id !== principal.partnerId)) throw new LicenceNotFoundError(licenceId);
    const items = await this.deps.duties.listDuties(licenceId);
    return { items: items.sort((a, b) => (a.dueAt ?? '~').localeCompare(b.dueAt ?? '~')) };
  }

  /** The licensee attests a deletion or files a usage report. */
  async attest(principal: Principal, licenceId: string, dutyId: string, statement: string): Promise<Duty> {
    const licence = await this.deps.licences.getLicence(licenceId);
    if (!licence || (licence.licensee.id !== principal.partnerId && licence.licensor.id !== principal.partnerId)) throw new LicenceNotFoundError(licenceId);
    if (licence.licensee.id !== principal.partnerId) throw new ForbiddenError('only the licensee attests its duties', 'licensee_only');
    const duty = await this.deps.duties.getDuty(licenceId, dutyId);
    if (!duty) throw new NotFoundError('duty', dutyId);
    if (!ATTESTABLE.has(duty.kind)) throw new BusinessRuleError(`${duty.kind} duties are ${duty.kind === 'share-back' ? 'fulfilled by publishing a dataset of the theme' : 'not attested'}`, 'not_attestable');
    const at = this.deps.clock.now().toISOString();
    // A report covers a period that has ended; a deletion follows the licence's end (its expiry, or an earlier termination or revocation).
    const notBefore = duty.kind === 'usage-report' ? duty.period?.end : licence.expiresAt;
    const due = duty.kind === 'delete-on-expiry' && ENDED.has(licence.state) ? true : !!notBefore && at >= notBefore;
    if (!due) throw new BusinessRuleError(`${dutyId} can be attested from ${notBefore ?? 'the end of the licence'}`, 'too_early');
    const done = await this.close(licence, duty, { fulfilledAt: at, evidence: { statement, attestedBy: actorIdOf(principal) } }, this.deps.audit.record({ actor: actorOf(principal), action: 'licence.duty.attested', subject: licenceId, parties: [licence.licensor.id, licence.licensee.id], data: { dutyId, kind: duty.kind, statement } }));
    if (!done) throw new StateConflictError(`duty ${dutyId} is already ${duty.status}`, 'duty_closed');
    await this.afterFulfilment(licence, duty);
    return (await this.deps.duties.getDuty(licenceId, dutyId))!;
  }

  /** A licensee published a version: it fulfils the oldest pending share-back of that theme on each of its licences. */
  async onPublished(datasetId: string, publishedAt: string, version: number): Promise<number> {
    const dataset = await this.deps.catalogue.getDataset(datasetId);
    if (!dataset) return 0;
    let fulfilled = 0;
    let cursor: string | undefined;
    do {
      const page = await this.deps.licences.listByParty(dataset.ownerId, { limit: 100, ...(cursor ? { cursor } : {}) });
      for (const licence of page.items) {
        const owes = licence.licensee.id === dataset.ownerId && ['active', 'suspended'].includes(licence.state);
        if (!owes || !licence.clauses.some((c) => c.kind === 'share-back' && c.params.theme === dataset.theme)) continue;
        const duties = await this.deps.duties.listDuties(licence.id);
        // One publication fulfils one period, even when its event is delivered twice.
        if (duties.some((d) => d.evidence?.datasetId === datasetId && d.evidence?.version === version)) continue;
        const pending = duties
          .filter((d) => d.kind === 'share-back' && d.params.theme === dataset.theme && ['open', 'overdue'].includes(d.status) && d.period && d.period.start <= publishedAt)
          .sort((a, b) => a.period!.index - b.period!.index)[0];
        if (!pending) continue;
        const done = await this.close(licence, pending, { fulfilledAt: publishedAt, evidence: { datasetId, version } }, this.deps.audit.record({ actor: systemActor('duties'), action: 'licence.duty.fulfilled', subject: licence.id, parties: [licence.licensor.id, licence.licensee.id], data: { dutyId: pending.dutyId, datasetId, version } }));
        if (!done) continue;
        fulfilled += 1;
        await this.afterFulfilment(licence, pending);
      }
      cursor = page.cursor;
    } while (cursor);
    return fulfilled;
  }

  /** The schedule's job: overdue duties are marked and suspend their licence. */
  async checkOverdue(now: Date): Promise<number> {
    let marked = 0;
    for (;;) {
      const due = await this.deps.duties.dueBefore(now.toISOString(), 50);
      if (due.length === 0) return marked;
      for (const { licenceId, dutyId } of due) {
        const licence = await this.deps.licences.getLicence(licenceId);
        if (!licence) continue;
        const parties = [licence.licensor.id, licence.licensee.id];
        const changed = await this.deps.duties.updateDuty(licenceId, dutyId, ['open'], 'overdue', {}, this.deps.audit.record({ actor: systemActor('schedule'), action: 'licence.duty.overdue', subject: licenceId, parties, data: { dutyId } }), +1);
        if (!changed) continue;
        marked += 1;
        // Attempted whatever was read before: the conditional transition decides, so a concurrent reactivation cannot slip past.
        await this.move(licence, ['active'], 'suspended', `duty ${dutyId} is overdue`, 'licence.suspended', now);
      }
    }
  }

  /** The schedule's job: licences past their validity end become expired. */
  async expire(now: Date): Promise<number> {
    let expired = 0;
    for (const state of ['active', 'suspended'] as const) {
      let cursor: string | undefined;
      do {
        const page = await this.deps.licences.listByState(state, { limit: 100, ...(cursor ? { cursor } : {}) });
        for (const licence of page.items) {
          if (!licence.expiresAt || licence.expiresAt > now.toISOString()) continue;
          if (await this.move(licence, [state], 'expired', `validity ended on ${licence.expiresAt}`, 'licence.expired', now)) expired += 1;
        }
        cursor = page.cursor;
      } while (cursor);
    }
    return expired;
  }

  /** Next period of a periodic duty, and reactivation once nothing is overdue. */
  private async afterFulfilment(licence: StoredLicence, duty: Duty): Promise<void> {
    if ((duty.kind === 'share-back' || duty.kind === 'usage-report') && duty.period) {
      const clause = licence.clauses.find((c): c is ClauseOf<PeriodicKind> => c.kind === duty.kind && JSON.stringify(c.params) === JSON.stringify(duty.params));
      if (clause) await this.deps.duties.createDuties([periodic(licence, clause, duty.period.index + 1, this.deps.clock.now().toISOString())]);
    }
    const current = await this.deps.licences.getLicence(licence.id);
    if (current?.state !== 'suspended') return;
    // Conditional on the licence's overdue count being zero, kept with every duty change.
    await this.move(current, ['suspended'], 'active', 'overdue duties fulfilled', 'licence.reactivated', this.deps.clock.now(), true);
  }

  /** Fulfils an open or overdue duty, decrementing the overdue count when it was overdue. */
  private async close(licence: StoredLicence, duty: Duty, set: Partial<Duty>, event: PendingAuditEvent): Promise<boolean> {
    if (await this.deps.duties.updateDuty(licence.id, duty.dutyId, ['overdue'], 'fulfilled', set, event, -1)) return true;
    return this.deps.duties.updateDuty(licence.id, duty.dutyId, ['open'], 'fulfilled', set, event);
  }

  private async move(licence: StoredLicence, from: StoredLicence['state'][], to: StoredLicence['state'], reason: string, action: string, now: Date, requireNoOverdue = false): Promise<boolean> {
    try {
      await this.deps.licences.transition(
        licence.id,
        { from, to, at: now.toISOString(), by: 'schedule', reason, ...(requireNoOverdue ? { requireNoOverdue } : {}) },
        this.deps.audit.record({ actor: systemActor('lifecycle'), action, subject: licence.id, parties: [licence.licensor.id, licence.licensee.id], data: { from: licence.state, to, reason } }),
      );
      return true;
    } catch (error) {
      if (error instanceof StateConflictError) return false;
      throw error;
    }
  }
}
