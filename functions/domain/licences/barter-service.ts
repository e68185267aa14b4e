import type { AcceptBarterRequestSchema, Barter, BarterState, CreateBarterRequest, Partner } from '../../../schemas/index.ts';
import type * as z from 'zod';
import type { BarterStore, StoredBarter } from '../../ports/barters.ts';
import type { CatalogueStore } from '../../ports/catalogue.ts';
import type { IdentityStore } from '../../ports/identity.ts';
import type { IdempotencyStore } from '../../ports/idempotency.ts';
import type { LicenceStore, StoredLicence, StoredOffer } from '../../ports/licensing.ts';
import type { Clock, IdGenerator } from '../../ports/time.ts';
import { AuditTrail, actorOf } from '../audit/audit-trail.ts';
import { BusinessRuleError, ForbiddenError, NotFoundError, StateConflictError, UnauthenticatedError } from '../errors.ts';
import { idempotent } from '../ledger/idempotency.ts';
import { partnerAccount, type IdempotencyRecord } from '../ledger/movement.ts';
import { retryOnContention } from '../ledger/retry.ts';
import { actorIdOf, isOfficer, sameActor, type Page, type PageRequest, type Principal } from '../model.ts';
import { licenceView, type LicenceService } from './licence-service.ts';
import { ApprovalRequiredError, FourEyesError } from './errors.ts';
import { OfferNotFoundError } from './offer-service.ts';

export class BarterNotFoundError extends NotFoundError {
  constructor(id: string, options?: ErrorOptions) {
    super('barter', id, options);
  }
}

export interface BarterDeps {
  readonly store: BarterStore;
  readonly licences: LicenceService;
  readonly offers: LicenceStore;
  readonly catalogue: CatalogueStore;
  readonly identity: IdentityStore;
  readonly idempotency: IdempotencyStore;
  readonly audit: AuditTrail;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

const view = (b: StoredBarter): Barter => {
  const { proposedBy: _by, ...rest } = b;
  return rest;
};
const profile = (p: Partner) => ({ id: p.id, name: p.name, kind: p.kind });

/**
 * Data for data: access to the counterpart's dataset against access to one's own (plus credits).
 * Accepting activates both licences and moves the credits in one transaction, or nothing.
 */
export class BarterService {
  constructor(private readonly deps: BarterDeps) {}

  async propose(principal: Principal, req: CreateBarterRequest, idempotencyKey: string | undefined): Promise<Barter> {
    return idempotent({ store: this.deps.idempotency, clock: this.deps.clock }, principal.keyId, idempotencyKey, { op: 'barter', ...req }, async (recordOf) => {
      const [want, give] = await Promise.all([this.offer(req.offerId), this.offer(req.give.offerId)]);
      if (give.ownerId !== principal.partnerId) throw new BusinessRuleError('the offer given in exchange must be one of yours', 'not_your_offer');
      if (want.ownerId === principal.partnerId) throw new BusinessRuleError('a partner cannot barter for its own data', 'own_offer');
      await this.assertAccepted(want, give);
      const [proposer, counterparty] = await Promise.all([this.partner(principal.partnerId), this.partner(want.ownerId)]);
      // Both sides are checked now against the offers and the territory policy; the counterpart's purpose comes at acceptance.
      const wantDraft = await this.deps.licences.draft(want, proposer, req.purpose, actorIdOf(principal));
      const giveTerms = await this.deps.licences.effectiveClauses(give, counterparty, undefined);
      const giveApproval = give.approval === 'officer' || giveTerms.merged.requiresApproval || giveTerms.dataset.classification === 'restricted';
      const now = this.deps.clock.now().toISOString();
      const state: BarterState = wantDraft.licence.requiresApproval || giveApproval ? 'pending_approval' : 'proposed';
      const barter: StoredBarter = {
        id: this.deps.ids.next('btr'),
        state,
        proposer: profile(proposer),
        counterparty: profile(counterparty),
        want: { offerId: want.id, datasetId: want.datasetId, licensor: profile(counterparty), licensee: profile(proposer), requiresApproval: wantDraft.licence.requiresApproval, approved: false },
        give: { offerId: give.id, datasetId: give.datasetId, licensor: profile(proposer), licensee: profile(counterparty), requiresApproval: giveApproval, approved: false },
        ...(req.give.credits ? { credits: req.give.credits } : {}),
        proposerPurpose: req.purpose,
        history: [{ state, at: now, by: actorIdOf(principal) }],
        createdAt: now,
        proposedBy: actorIdOf(principal),
      };
      await this.deps.store.createBarter(
        barter,
        this.deps.audit.record({ actor: actorOf(principal), action: 'barter.proposed', subject: barter.id, parties: [proposer.id, counterparty.id], data: { want: want.id, give: give.id, credits: req.give.credits ?? 0, state } }),
        recordOf?.(view(barter)),
      );
      return view(barter);
    });
  }

  /** An officer approves one side; once every side that needed approval has it, the barter is proposed. */
  async approve(principal: Principal, id: string, side: 'want' | 'give', reason: string | undefined): Promise<Barter> {
    const barter = await this.load(id);
    if (sameActor(barter.proposedBy, principal)) throw new FourEyesError('proposed this barter');
    if (barter.state !== 'pending_approval') throw new BusinessRuleError(`barter ${id} is ${barter.state}`, 'barter_state');
    const sides = { ...barter, [side]: { ...barter[side], approved: true, approvedBy: actorIdOf(principal) } } as StoredBarter;
    const ready = (!sides.want.requiresApproval || sides.want.approved) && (!sides.give.requiresApproval || sides.give.approved);
    const at = this.deps.clock.now().toISOString();
    const updated: StoredBarter = { ...sides, state: ready ? 'proposed' : 'pending_approval', history: [...barter.history, { state: ready ? 'proposed' : 'pending_approval', at, by: actorIdOf(principal), ...(reason ? { reason } : {}) }] };
    await this.deps.store.updateBarter(updated, ['pending_approval'], this.event(principal, updated, 'barter.approved', { side, ...(reason ? { reason } : {}) }));
    return view(updated);
  }

  async reject(principal: Principal, id: string, reason: string): Promise<Barter> {
    return this.close(principal, await this.load(id), ['pending_approval', 'proposed'], 'rejected', 'barter.rejected', reason);
  }

  async decline(principal: Principal, id: string, reason: string | undefined): Promise<Barter> {
    const barter = await this.ofParty(principal, id);
    if (barter.counterparty.id !== principal.partnerId) throw new ForbiddenError('only the counterparty declines a barter', 'counterparty_only');
    return this.close(principal, barter, ['pending_approval', 'proposed'], 'declined', 'barter.declined', reason);
  }

  /** The counterparty accepts: both licences active, credits moved, in one transaction (both or neither). */
  async accept(principal: Principal, id: string, req: z.infer<typeof AcceptBarterRequestSchema>, idempotencyKey: string | undefined): Promise<Barter> {
    return idempotent({ store: this.deps.idempotency, clock: this.deps.clock }, principal.keyId, idempotencyKey, { op: 'accept', barterId: id, ...req }, (recordOf) =>
      retryOnContention(() => this.settle(principal, id, req, recordOf)),
    );
  }

  private async settle(principal: Principal, id: string, req: z.infer<typeof AcceptBarterRequestSchema>, recordOf: ((response: Barter) => IdempotencyRecord) | undefined): Promise<Barter> {
    const barter = await this.ofParty(principal, id);
    if (barter.counterparty.id !== principal.partnerId) throw new ForbiddenError('only the counterparty accepts a barter', 'counterparty_only');
    if (barter.state !== 'proposed') throw new StateConflictError(`barter ${id} is ${barter.state}`, 'barter_state_changed');
    const [want, give, proposer, counterparty] = await Promise.all([this.offer(barter.want.offerId), this.offer(barter.give.offerId), this.partner(barter.proposer.id), this.partner(barter.counterparty.id)]);
    // Drafted again now: the policy in force at settlement applies, and withdrawn offers stop the exchange.
    const [wantDraft, giveDraft] = await Promise.all([
      this.deps.licences.draft(want, proposer, barter.proposerPurpose, barter.proposedBy),
      this.deps.licences.draft(give, counterparty, req.purpose, actorIdOf(principal)),
    ]);
    const at = this.deps.clock.now().toISOString();
    // A side whose approval the policy in force now requires, and that no officer gave, sends the barter back to the inbox.
    const unapproved = (['want', 'give'] as const).filter((side) => (side === 'want' ? wantDraft : giveDraft).licence.requiresApproval && !barter[side].approved);
    if (unapproved.length) await this.awaitApproval(principal, barter, unapproved, at);
    const activate = async (draft: StoredLicence, offer: StoredOffer, licensee: Partner, approved: boolean, acceptedBy: { partnerId: string; keyId: string; at: string }) => {
      const activation = await this.deps.licences.activation(draft, offer, licensee, approved, acceptedBy);
      const licence: StoredLicence = { ...activation.licence, history: [{ state: 'active', at, by: acceptedBy.keyId, reason: `barter ${id}` }] };
      return { licence, duties: activation.duties, digest: activation.digest };
    };
    const [wantLicence, giveLicence] = await Promise.all([
      activate(wantDraft.licence, want, proposer, barter.want.approved, { partnerId: proposer.id, keyId: barter.proposedBy, at }),
      activate(giveDraft.licence, give, counterparty, barter.give.approved, { partnerId: counterparty.id, keyId: principal.keyId, at }),
    ]);
    const settled: StoredBarter = {
      ...barter,
      state: 'accepted',
      counterpartyPurpose: req.purpose,
      want: { ...barter.want, licenceId: wantLicence.licence.id },
      give: { ...barter.give, licenceId: giveLicence.licence.id },
      history: [...barter.history, { state: 'accepted', at, by: actorIdOf(principal) }],
    };
    const parties = [proposer.id, counterparty.id];
    await this.deps.store.settle({
      barter: settled,
      licences: [wantLicence.licence, giveLicence.licence],
      duties: [...wantLicence.duties, ...giveLicence.duties],
      movements: barter.credits
        ? [{ movementId: this.deps.ids.next('mov'), at, from: partnerAccount(proposer.id), to: partnerAccount(counterparty.id), amount: barter.credits, cause: { type: 'barter', barterId: id } }]
        : [],
      ...(recordOf ? { idempotency: recordOf(view(settled)) } : {}),
      events: [
        this.event(principal, settled, 'barter.accepted', { licences: [wantLicence.licence.id, giveLicence.licence.id], credits: barter.credits ?? 0 }),
        ...[wantLicence, giveLicence].map((l) =>
          this.deps.audit.record({ actor: actorOf(principal), action: 'licence.signed', subject: l.licence.id, parties, data: { digest: l.digest, activatedAt: at, barterId: id } }),
        ),
      ],
    });
    return view(settled);
  }

  /** Marks the sides that now need an officer and refuses the acceptance until they are approved. */
  private async awaitApproval(principal: Principal, barter: StoredBarter, sides: readonly ('want' | 'give')[], at: string): Promise<never> {
    const reason = `the territory policy now requires an officer's approval of the ${sides.join(' and ')} side`;
    const updated = {
      ...barter,
      ...Object.fromEntries(sides.map((side) => [side, { ...barter[side], requiresApproval: true }])),
      state: 'pending_approval',
      history: [...barter.history, { state: 'pending_approval', at, by: actorIdOf(principal), reason }],
    } as StoredBarter;
    await this.deps.store.updateBarter(updated, ['proposed'], this.event(principal, updated, 'barter.approval_required', { sides, reason }));
    throw new ApprovalRequiredError(`barter ${barter.id} cannot be accepted yet: ${reason}; it waits in the officers' inbox`);
  }

  async get(principal: Principal, id: string): Promise<Barter> {
    return view(await this.visible(principal, id));
  }

  async list(principal: Principal, page: PageRequest): Promise<Page<Barter>> {
    const result = isOfficer(principal) ? await this.deps.store.listAll(page) : await this.deps.store.listByParty(principal.partnerId, page);
    return { ...result, items: result.items.map(view) };
  }

  /** Reciprocity: an offer that demands data only goes to partners giving data of the themes or datasets it names. */
  private async assertAccepted(want: StoredOffer, give: StoredOffer): Promise<void> {
    const accepts = want.barter?.accepts;
    if (!accepts) return;
    const given = await this.deps.catalogue.getDataset(give.datasetId);
    const ok = (accepts.datasetIds?.includes(give.datasetId) ?? false) || (given ? (accepts.themes?.includes(given.theme) ?? false) : false);
    if (!ok) {
      const wanted = [...(accepts.themes ?? []).map((t) => `theme ${t}`), ...(accepts.datasetIds ?? []).map((d) => `dataset ${d}`)].join(', ');
      throw new BusinessRuleError(`this offer is exchanged only for ${wanted}`, 'barter_terms');
    }
  }

  private async close(principal: Principal, barter: StoredBarter, from: BarterState[], to: BarterState, action: string, reason: string | undefined): Promise<Barter> {
    if (!from.includes(barter.state)) throw new BusinessRuleError(`barter ${barter.id} is ${barter.state}`, 'barter_state');
    const at = this.deps.clock.now().toISOString();
    const updated: StoredBarter = { ...barter, state: to, history: [...barter.history, { state: to, at, by: actorIdOf(principal), ...(reason ? { reason } : {}) }] };
    await this.deps.store.updateBarter(updated, from, this.event(principal, updated, action, reason ? { reason } : {}));
    return view(updated);
  }

  private event(principal: Principal, b: StoredBarter, action: string, data: Record<string, unknown>) {
    return this.deps.audit.record({ actor: actorOf(principal), action, subject: b.id, parties: [b.proposer.id, b.counterparty.id], data: { state: b.state, ...data } });
  }

  private async offer(id: string): Promise<StoredOffer> {
    const offer = await this.deps.offers.getOffer(id);
    if (!offer) throw new OfferNotFoundError(id);
    return offer;
  }

  private async partner(id: string): Promise<Partner> {
    const partner = await this.deps.identity.getPartner(id);
    if (!partner) throw new UnauthenticatedError();
    return partner;
  }

  private async load(id: string): Promise<StoredBarter> {
    const barter = await this.deps.store.getBarter(id);
    if (!barter) throw new BarterNotFoundError(id);
    return barter;
  }

  /** The barter if the caller's partner is one of its sides; a 404 for anyone else, officers included. */
  private async ofParty(principal: Principal, id: string): Promise<StoredBarter> {
    const barter = await this.load(id);
    if (barter.proposer.id !== principal.partnerId && barter.counterparty.id !== principal.partnerId) throw new BarterNotFoundError(id);
    return barter;
  }

  private async visible(principal: Principal, id: string): Promise<StoredBarter> {
    const barter = await this.load(id);
    if (!isOfficer(principal) && barter.proposer.id !== principal.partnerId && barter.counterparty.id !== principal.partnerId) throw new BarterNotFoundError(id);
    return barter;
  }
}

