import type { GrantRequest, Ledger } from '../../../schemas/index.ts';
import type { IdempotencyStore } from '../../ports/idempotency.ts';
import type { IdentityStore } from '../../ports/identity.ts';
import type { LedgerStore } from '../../ports/ledger.ts';
import type { Clock, IdGenerator } from '../../ports/time.ts';
import { AuditTrail, actorOf, systemActor } from '../audit/audit-trail.ts';
import { ForbiddenError, PartnerNotFoundError } from '../errors.ts';
import { isOfficer, type PageRequest, type Principal } from '../model.ts';
import { idempotent } from './idempotency.ts';
import { retryOnContention } from './retry.ts';
import { ISSUANCE, escrowAccount, partnerAccount } from './movement.ts';

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

  /** The schedule's job: escrows past their hold reach the licensor. */
  async releaseDue(now: Date): Promise<number> {
    let released = 0;
    for (;;) {
      const due = await this.deps.store.escrowsDue(now.toISOString(), 50);
      if (due.length === 0) return released;
      for (const escrow of due) {
        const movement = {
          movementId: this.deps.ids.next('mov'),
          at: now.toISOString(),
          from: escrowAccount(escrow.licenceId),
          to: partnerAccount(escrow.ownerId),
          amount: escrow.amount,
          cause: { type: 'escrow-release' as const, licenceId: escrow.licenceId },
        };
        const done = await this.deps.store.releaseEscrow(
          escrow,
          movement,
          this.deps.audit.record({ actor: systemActor('schedule'), action: 'ledger.escrow.released', subject: escrow.licenceId, parties: [escrow.ownerId, escrow.licenseeId], data: { amount: escrow.amount, to: escrow.ownerId } }),
        );
        if (done) released += 1;
      }
    }
  }
}
