import type { GrantRequest, Ledger } from '../../../schemas/index.ts';
import type { IdempotencyStore } from '../../ports/idempotency.ts';
import type { IdentityStore } from '../../ports/identity.ts';
import type { LedgerStore, ReleaseOutcome, StoredEscrow } from '../../ports/ledger.ts';
import type { Clock, IdGenerator } from '../../ports/time.ts';
import { AuditTrail, actorOf, systemActor } from '../audit/audit-trail.ts';
import { ForbiddenError, PartnerNotFoundError, StateConflictError } from '../errors.ts';
import { isOfficer, type PageRequest, type Principal } from '../model.ts';
import { idempotent } from './idempotency.ts';
import { retryOnContention } from './retry.ts';
import { RELEASABLE_STATES, settlementOf } from './escrow.ts';
import { ISSUANCE, partnerAccount } from './movement.ts';

export interface GrantResult {
  readonly movementId: string;
  readonly partnerId: string;
  readonly credits: number;
}

/** Credits: grants from the territory, statements, and escrow releases. */
export class LedgerService {
  constructor(private readonly deps: { store: LedgerStore; idempotency: IdempotencyStore; identity: IdentityStore; audit: AuditTrail; clock: Clock; ids: IdGenerator }) {}

  async grant(principal: Principal, req: GrantRequest, idempotencyKey: string | undefined): Promise<GrantResult> {
    if (!isOfficer(principal)) throw new ForbiddenError('only a collectivity officer grants credits', 'officer_only');
    // Four eyes: the collectivity's officers issue credits, so they never issue them to the collectivity itself.
    if (req.partnerId === principal.partnerId) throw new ForbiddenError("credits cannot be granted to the collectivity's own account", 'self_grant');
    if (!(await this.deps.identity.getPartner(req.partnerId))) throw new PartnerNotFoundError(req.partnerId);
    return idempotent({ store: this.deps.idempotency, clock: this.deps.clock }, principal.keyId, idempotencyKey, { op: 'grant', ...req }, async (recordOf) => {
      const movement = {
        movementId: this.deps.ids.next('mov'),
        at: this.deps.clock.now().toISOString(),
        from: ISSUANCE,
        to: partnerAccount(req.partnerId),
        amount: req.credits,
        cause: { type: 'grant' as const },
        ...(req.memo ? { memo: req.memo } : {}),
      };
      const result = { movementId: movement.movementId, partnerId: req.partnerId, credits: req.credits };
      await retryOnContention(() => this.deps.store.move(
        [movement],
        this.deps.audit.record({ actor: actorOf(principal), action: 'ledger.granted', subject: movement.movementId, parties: [req.partnerId], data: { partnerId: req.partnerId, credits: req.credits, ...(req.memo ? { memo: req.memo } : {}) } }),
        recordOf?.(result),
      ));
      return result;
    });
  }

  /** A partner's balance and entries, newest first; officers may read any partner's. */
  async statement(principal: Principal, partnerId: string | undefined, page: PageRequest): Promise<Ledger> {
    const target = partnerId ?? principal.partnerId;
    if (target !== principal.partnerId && !isOfficer(principal)) throw new PartnerNotFoundError(target);
    const account = partnerAccount(target);
    const [balance, entries] = await Promise.all([this.deps.store.balance(account), this.deps.store.statement(account, page)]);
    return { account, balance, items: entries.items, ...(entries.cursor ? { cursor: entries.cursor } : {}) };
  }

  /**
   * The schedule's job: escrows past their hold reach the licensor, but only while the licence is
   * active or expired (checked in the release transaction). A suspended licence's escrow stays held
   * for a later run; a contended release is left for the next run rather than failing the schedule.
   */
  async releaseDue(now: Date): Promise<number> {
    let released = 0;
    let cursor: string | undefined;
    do {
      const page = await this.deps.store.escrowsDue(now.toISOString(), { limit: 50, ...(cursor ? { cursor } : {}) });
      for (const escrow of page.items) if ((await this.release(escrow, now)) === 'released') released += 1;
      cursor = page.cursor;
    } while (cursor);
    return released;
  }

  private async release(escrow: StoredEscrow, now: Date): Promise<ReleaseOutcome | 'contended'> {
    const { movement } = settlementOf(escrow, 'released', now.toISOString(), this.deps.ids.next('mov'));
    const event = this.deps.audit.record({ actor: systemActor('schedule'), action: 'ledger.escrow.released', subject: escrow.licenceId, parties: [escrow.ownerId, escrow.licenseeId], data: { amount: escrow.amount, to: escrow.ownerId } });
    try {
      return await retryOnContention(() => this.deps.store.releaseEscrow(escrow, movement, event, RELEASABLE_STATES));
    } catch (error) {
      if (error instanceof StateConflictError && error.code === 'concurrent_change') return 'contended';
      throw error;
    }
  }
}
