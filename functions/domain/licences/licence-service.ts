import { randomBytes } from 'node:crypto';
import type { Clause, PositionRef } from '../../../contracts/clauses/clause.ts';
import { digestOf } from '../../../contracts/digest.ts';
import { mergeWithPolicy } from '../../../contracts/policy/merge.ts';
import { templateById } from '../../../contracts/templates.ts';
import type { CreateLicenceRequest, Licence, LicenceState, Partner } from '../../../schemas/index.ts';
import type { CatalogueStore, DatasetRecord } from '../../ports/catalogue.ts';
import type { DutyStore } from '../../ports/duties.ts';
import type { IdempotencyStore } from '../../ports/idempotency.ts';
import type { IdentityStore } from '../../ports/identity.ts';
import type { LedgerStore } from '../../ports/ledger.ts';
import type { LicenceStore, LicenceTransition, PolicyStore, SignatureContextReader, StoredLicence, StoredOffer, StoredPolicy } from '../../ports/licensing.ts';
import type { Signer } from '../../ports/signer.ts';
import type { Clock, IdGenerator } from '../../ports/time.ts';
import { AuditTrail, actorOf } from '../audit/audit-trail.ts';
import { DatasetNotFoundError } from '../catalogue/errors.ts';
import { BusinessRuleError, ForbiddenError, UnauthenticatedError } from '../errors.ts';
import { idempotent } from '../ledger/idempotency.ts';
import { retryOnContention } from '../ledger/retry.ts';
import { outcomeOfEnd, settlementOf, type EndedBy } from '../ledger/escrow.ts';
import { ESCROW_HOLD_MS, escrowAccount, partnerAccount, type IdempotencyRecord } from '../ledger/movement.ts';
import { actorIdOf, isOfficer, sameActor, type Page, type PageRequest, type Principal } from '../model.ts';
import { clauseTexts, licenceDocument, validityEnd } from './licence-document.ts';
import { ApprovalRequiredError, FourEyesError, LicenceNotFoundError } from './errors.ts';
import { PENDING_REQUEST_CAPS, type PendingRequestCaps } from './request-caps.ts';
import { deletionAtEnd, initialDuties } from './lifecycle-service.ts';
import { licenceToOdrl } from './odrl.ts';
import { OfferNotFoundError, personalFieldsOf } from './offer-service.ts';

export { LicenceNotFoundError };

/** Whether an officer approved the request: recorded since approvals carry their key, read from the history before. */
export function approvalOnRecord(licence: Pick<StoredLicence, 'approval' | 'history'>): boolean {
  if (licence.approval) return true;
  return licence.history.some((h, i) => h.state === 'awaiting_signature' && licence.history[i - 1]?.state === 'pending_approval');
}

/**
 * Transform clauses narrowed to the dataset's fields: a territory rule naming a field the dataset
 * does not have (pseudonymise `vehicle_id` on every mobility dataset) has nothing to act on there.
 */
function applicableTo(clauses: readonly Clause[], fields: ReadonlySet<string>): Clause[] {
  const positionKnown = (p: PositionRef) => ('geopoint' in p ? fields.has(p.geopoint) : fields.has(p.lat) && fields.has(p.lon));
  return clauses.flatMap((c): Clause[] => {
    switch (c.kind) {
      case 'drop-fields':
      case 'redact-fields':
      case 'pseudonymise-fields': {
        const kept = c.params.fields.filter((f) => fields.has(f));
        return kept.length ? [{ kind: c.kind, params: { fields: kept } } as Clause] : [];
      }
      case 'k-anonymity': {
        const kept = c.params.quasiIdentifiers.filter((f) => fields.has(f));
        return kept.length ? [{ kind: 'k-anonymity', params: { ...c.params, quasiIdentifiers: kept } }] : [];
      }
      case 'exclusion-zones':
      case 'generalise-coordinates':
        return positionKnown(c.params.position) ? [c] : [];
      default:
        return [c];
    }
  });
}

/** An offer's dataset (`undefined` when missing) and the policy in force, as a signature read them. */
interface DatasetAndPolicy {
  readonly dataset: DatasetRecord | undefined;
  readonly policy: StoredPolicy;
}

export interface LicenceDeps {
  readonly store: LicenceStore;
  readonly ledger: Pick<LedgerStore, 'getEscrow'>;
  readonly idempotency: IdempotencyStore;
  /** Read when a licence ends, to move its deletion duty. */
  readonly duties: Pick<DutyStore, 'getDuty'>;
  readonly policies: PolicyStore;
  readonly catalogue: CatalogueStore;
  readonly identity: IdentityStore;
  /** What a signature reads besides the licence, in one request. */
  readonly signatureContext: SignatureContextReader;
  readonly signer: Signer;
  readonly audit: AuditTrail;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** How many requests a partner may leave waiting for an answer; `PENDING_REQUEST_CAPS` unless a test needs more. */
  readonly requestCaps?: PendingRequestCaps;
}

/** What the parties and officers see: never the pseudonymisation key. */
export function licenceView(l: StoredLicence, currentPolicyVersion?: number): Licence {
  const { pseudonymKey: _secret, expiresAt: _expires, ...view } = l;
  return { ...view, policy: { ...l.policy, ...(currentPolicyVersion !== undefined ? { current: l.policy.version === currentPolicyVersion } : {}) } };
}

/** The licence lifecycle: request, approval, signature, revocation. */
export class LicenceService {
  constructor(private readonly deps: LicenceDeps) {}

  async request(principal: Principal, req: CreateLicenceRequest): Promise<Licence> {
    const offer = await this.deps.store.getOffer(req.offerId);
    if (!offer) throw new OfferNotFoundError(req.offerId);
    if (offer.barter) throw new BusinessRuleError('this offer is only available in exchange for data: propose a barter (POST /v1/barters)', 'barter_required');
    const licensee = await this.deps.identity.getPartner(principal.partnerId);
    if (!licensee) throw new UnauthenticatedError();
    const { licence, policyVersion } = await this.draft(offer, licensee, req.purpose, actorIdOf(principal));
    const event = this.deps.audit.record({
      actor: actorOf(principal),
      action: 'licence.requested',
      subject: licence.id,
      parties: [licence.licensor.id, licence.licensee.id],
      data: { offerId: offer.id, datasetId: licence.datasetId, purpose: req.purpose, state: licence.state, appliedRules: licence.policy.appliedRules, policyVersion: licence.policy.version },
    });
    // Requests of one partner race on its pending-slot counters: a contended write is tried again.
    await retryOnContention(() => this.deps.store.createLicence(licence, event, this.deps.requestCaps ?? PENDING_REQUEST_CAPS));
    return licenceView(licence, policyVersion);
  }

  /**
   * A licence on an offer for a licensee and purpose, not yet stored: the offer merged with the
   * territory policy, narrowed to the declared purpose and the dataset's fields.
   */
  async draft(offer: StoredOffer, licensee: Partner, purpose: string, by: string): Promise<{ licence: StoredLicence; policyVersion: number }> {
    const { clauses, dataset, policyVersion, requiresApproval, terms } = await this.effectiveClauses(offer, licensee, purpose);
    const state: LicenceState = requiresApproval ? 'pending_approval' : 'awaiting_signature';
    const now = this.deps.clock.now().toISOString();
    const licence: StoredLicence = {
      id: this.deps.ids.next('lic'),
      state,
      offerId: offer.id,
      datasetId: dataset.id,
      licensor: offer.licensor,
      licensee: { id: licensee.id, name: licensee.name, kind: licensee.kind },
      purpose,
      ...terms,
      history: [{ state, at: now, by }],
      createdAt: now,
      pseudonymKey: randomBytes(32).toString('base64url'),
    };
    return { licence, policyVersion };
  }

  /**
   * The offer merged with the policy for a licensee (and purpose, when known): refuses what the territory forbids.
   * With `read`, the offer's dataset and the policy already read (strongly consistent) are used instead of reading them.
   */
  async effectiveClauses(offer: StoredOffer, licensee: Partner, purpose: string | undefined, read?: DatasetAndPolicy) {
    if (offer.state !== 'open') throw new BusinessRuleError(`offer ${offer.id} was withdrawn`, 'offer_withdrawn');
    if (offer.ownerId === licensee.id) throw new BusinessRuleError('a partner cannot license its own data', 'own_offer');
    if (!offer.audience.includes(licensee.kind)) throw new BusinessRuleError(`the offer is open to ${offer.audience.join(', ')}, not to ${licensee.kind} partners`, 'not_in_audience');
    const [dataset, policy] = read ? [read.dataset, read.policy] : await Promise.all([this.deps.catalogue.getDataset(offer.datasetId), this.deps.policies.getPolicy()]);
    if (!dataset) throw new DatasetNotFoundError(offer.datasetId);
    const merged = mergeWithPolicy(offer.clauses, policy, {
      theme: dataset.theme,
      classification: dataset.classification,
      licenseeKind: licensee.kind,
      personalFields: personalFieldsOf(dataset),
      licenseeIsOwner: false,
    });
    if (!merged.ok) throw new BusinessRuleError(`refused by territory rule ${merged.violation.rule}: ${merged.violation.message}`, 'policy_violation', { details: [merged.violation] });
    const purposes = merged.clauses.find((c) => c.kind === 'purpose');
    if (purpose !== undefined && purposes?.kind === 'purpose' && !purposes.params.allowed.includes(purpose)) {
      throw new BusinessRuleError(`purpose ${purpose} is not allowed (allowed: ${purposes.params.allowed.join(', ')})`, 'purpose_not_allowed');
    }
    const kinds = merged.clauses.find((c) => c.kind === 'partner-kinds');
    if (kinds?.kind === 'partner-kinds' && !(kinds.params.kinds as readonly string[]).includes(licensee.kind)) {
      throw new BusinessRuleError(`the licence is reserved to ${kinds.params.kinds.join(', ')} partners`, 'not_eligible');
    }
    // The licence is granted for the purpose declared: accesses for any other purpose are denied.
    const clauses: Clause[] = [
      { kind: 'purpose', params: { allowed: [purpose ?? ''] } },
      ...applicableTo(merged.clauses.filter((c) => c.kind !== 'purpose'), new Set(dataset.schema?.fields.map((f) => f.name) ?? [])),
    ];
    // Restricted bytes always need an officer; otherwise the offer or the policy decides.
    const requiresApproval = offer.approval === 'officer' || merged.requiresApproval || dataset.classification === 'restricted';
    const terms = {
      clauses,
      texts: clauseTexts(clauses, { licensor: offer.licensor.name, licensee: licensee.name, dataset: dataset.title, purpose: purpose ?? '' }),
      policy: { version: merged.policyVersion, appliedRules: merged.appliedRules },
      requiresApproval,
    };
    return { clauses, merged, dataset, policyVersion: policy.version, requiresApproval, terms };
  }

  /**
   * The one door to `active`, for a signature, a barter or any later path: the offer and the
   * territory policy in force now are merged again, and activation is refused while an approval
   * they require is not on record. Returns the licence as it becomes active and its first duties.
   */
  async activation(licence: StoredLicence, offer: StoredOffer, licensee: Partner, approved: boolean, acceptedBy: { partnerId: string; keyId: string; at: string }, read?: DatasetAndPolicy) {
    const { terms, merged, dataset } = await this.effectiveClauses(offer, licensee, licence.purpose, read);
    if (terms.requiresApproval && !approved) {
      const rules = merged.appliedRules.length ? ` (territory rules applied: ${merged.appliedRules.join(', ')})` : '';
      throw new ApprovalRequiredError(`licence ${licence.id} needs an officer's approval before it can become active${rules}; it waits in the officers' inbox`, terms);
    }
    const current: StoredLicence = { ...licence, ...terms };
    const { set, digest, expiresAt, duties } = await this.activationOf(current, offer, dataset, acceptedBy);
    return { licence: { ...current, ...set, state: 'active' as const }, set: { ...terms, ...set }, digest, expiresAt, duties };
  }

  /** What activation sets on a licence: the signed document, its signatures, its end, and its first duties. */
  private async activationOf(licence: StoredLicence, offer: StoredOffer, dataset: { id: string; title: string }, acceptedBy: { partnerId: string; keyId: string; at: string }) {
    const template = templateById(offer.template);
    if (!template) throw new DatasetNotFoundError(licence.datasetId);
    const at = acceptedBy.at;
    const document = licenceDocument(licence, template, { id: dataset.id, title: dataset.title }, at, offer.digest);
    const digest = digestOf(document);
    // The acceptance signs a statement naming who accepted; the countersignature signs the document digest.
    const [acceptance, countersignature] = await Promise.all([this.deps.signer.sign(digestOf({ licence: digest, acceptedBy })), this.deps.signer.sign(digest)]);
    const expiresAt = validityEnd(licence.clauses, at);
    const set = { document, digest, signatures: { acceptance: { ...acceptance, acceptedBy }, countersignature }, activatedAt: at, ...(expiresAt ? { expiresAt } : {}) };
    return { set, digest, expiresAt, duties: initialDuties({ ...licence, activatedAt: at, ...(expiresAt ? { expiresAt } : {}) }, at) };
  }

  /** An officer approves a request; never with the key that made it (four eyes). */
  async approve(principal: Principal, id: string, reason: string | undefined): Promise<Licence> {
    const licence = await this.load(id);
    if (sameActor(licence.history[0]?.by, principal)) throw new FourEyesError('requested this licence');
    const at = this.deps.clock.now().toISOString();
    return this.move(principal, id, ['pending_approval'], 'awaiting_signature', 'licence.approved', reason, { set: { approval: { by: actorIdOf(principal), at } } });
  }

  async reject(principal: Principal, id: string, reason: string): Promise<Licence> {
    return this.move(principal, id, ['pending_approval'], 'rejected', 'licence.rejected', reason);
  }

  /** The licensor turns down a request still waiting for an answer; the requester's pending slot is freed. */
  async decline(principal: Principal, id: string, reason: string): Promise<Licence> {
    const licence = await this.visible(principal, id);
    if (licence.licensor.id !== principal.partnerId) throw new ForbiddenError('only the licensor declines a licence request (officers reject it)', 'licensor_only');
    return this.move(principal, id, ['pending_approval', 'awaiting_signature'], 'declined', 'licence.declined', reason);
  }

  /** The licensee accepts: the document is digested, acceptance and countersignature recorded, the licence active. */
  async sign(principal: Principal, id: string, idempotencyKey?: string): Promise<Licence> {
    return idempotent({ store: this.deps.idempotency, clock: this.deps.clock }, principal.keyId, idempotencyKey, { op: 'sign', licenceId: id }, (recordOf) =>
      retryOnContention(() => this.activate(principal, id, recordOf)),
    );
  }

  /** Activation: document, signatures, duties and (for a priced offer) the purchase into escrow, in one transaction. */
  private async activate(principal: Principal, id: string, recordOf: ((response: Licence) => IdempotencyRecord) | undefined): Promise<Licence> {
    // Read once: the activation is written conditional on this very revision, so the store need not read it again.
    const seen = await this.deps.store.readLicence(id);
    if (!seen) throw new LicenceNotFoundError(id);
    const licence = seen.licence;
    // Officers see every licence, but only its parties learn anything from this route.
    if (licence.licensee.id !== principal.partnerId && licence.licensor.id !== principal.partnerId) throw new LicenceNotFoundError(id);
    if (licence.licensee.id !== principal.partnerId) throw new ForbiddenError('only the licensee signs a licence', 'licensee_only');
    if (licence.state !== 'awaiting_signature') throw new BusinessRuleError(`licence ${id} is ${licence.state}, not awaiting_signature`, 'not_awaiting_signature');
    // Everything the licence names in one request: a signature is on the settlement path.
    const { offer, licensee, dataset, policy } = await this.deps.signatureContext.read({ offerId: licence.offerId, licenseeId: licence.licensee.id, datasetId: licence.datasetId });
    if (!offer || offer.state !== 'open') throw new BusinessRuleError('the offer was withdrawn before signature', 'offer_withdrawn');
    if (!licensee) throw new UnauthenticatedError();
    const at = this.deps.clock.now().toISOString();
    let activation;
    try {
      // A licence names its offer's dataset; were they ever to differ, the offer's would be read as before.
      const read = offer.datasetId === licence.datasetId ? { dataset, policy } : undefined;
      activation = await this.activation(licence, offer, licensee, approvalOnRecord(licence), { partnerId: principal.partnerId, keyId: principal.keyId, at }, read);
    } catch (error) {
      if (error instanceof ApprovalRequiredError) await this.awaitApproval(principal, licence, at, error);
      throw error;
    }
    const { set, digest, expiresAt, duties } = activation;
    const price = offer.price?.credits;
    const purchase = price
      ? {
          movements: [{ movementId: this.deps.ids.next('mov'), at, from: partnerAccount(licence.licensee.id), to: escrowAccount(id), amount: price, cause: { type: 'purchase' as const, licenceId: id } }],
          escrowHold: { licenceId: id, ownerId: licence.licensor.id, licenseeId: licence.licensee.id, amount: price, releaseAt: new Date(Date.parse(at) + ESCROW_HOLD_MS).toISOString() },
        }
      : {};
    // The answer a retry with the same Idempotency-Key gets, written with the activation itself.
    const expected = licenceView({ ...licence, ...set, state: 'active', history: [...licence.history, { state: 'active', at, by: actorIdOf(principal) }] } as StoredLicence);
    const updated = await this.deps.store.transition(
      id,
      {
        from: ['awaiting_signature'],
        to: 'active',
        at,
        by: actorIdOf(principal),
        set,
        // The duties exist from the moment the licence is active, in the same transaction.
        createDuties: duties,
        ...purchase,
        ...(recordOf ? { idempotency: recordOf(expected) } : {}),
      },
      this.deps.audit.record({
        actor: actorOf(principal),
        action: 'licence.signed',
        subject: id,
        parties: [licence.licensor.id, licence.licensee.id],
        data: { digest, activatedAt: at, ...(expiresAt ? { expiresAt } : {}), ...(price ? { credits: price, escrowUntil: purchase.escrowHold!.releaseAt } : {}) },
      }),
      seen,
    );
    return licenceView(updated);
  }

  /** An officer or the licensor ends the licence; a payment still in escrow goes back to the licensee in the same transaction. */
  async revoke(principal: Principal, id: string, reason: string): Promise<Licence> {
    const licence = await this.visible(principal, id);
    // An officer never revokes, and so never refunds, a licence its own collectivity holds: it terminates it as the licensee.
    if (isOfficer(principal) && licence.licensee.id === principal.partnerId) {
      throw new ForbiddenError("an officer does not revoke a licence its own collectivity holds; terminate it as the licensee", 'conflict_of_interest');
    }
    const endedBy = isOfficer(principal) ? 'officer' : licence.licensor.id === principal.partnerId ? 'licensor' : undefined;
    if (!endedBy) throw new ForbiddenError('only an officer or the licensor revokes a licence', 'licensor_or_officer');
    return this.end(principal, id, { from: ['pending_approval', 'awaiting_signature', 'active', 'suspended'], to: 'revoked', action: 'licence.revoked', reason, endedBy });
  }

  /** Either party ends the licence; the reason is the notice the other party and the audit trail keep. */
  async terminate(principal: Principal, id: string, reason: string): Promise<Licence> {
    const licence = await this.load(id);
    const endedBy = licence.licensor.id === principal.partnerId ? 'licensor' : licence.licensee.id === principal.partnerId ? 'licensee' : undefined;
    // Only the parties end a licence; anyone else, officers included, learns nothing of it here.
    if (!endedBy) throw new LicenceNotFoundError(id);
    return this.end(principal, id, { from: ['active', 'suspended'], to: 'terminated', action: 'licence.terminated', reason, endedBy });
  }

  /**
   * Ends a licence from the state it is read in: a held escrow is settled by the refund rule and the
   * deletion duty runs from the actual end, all in the transaction of the state change. A concurrent
   * change (a release, a suspension) makes it read again and decide anew.
   */
  private end(principal: Principal, id: string, ending: { from: LicenceState[]; to: LicenceState; action: string; reason: string; endedBy: EndedBy }): Promise<Licence> {
    return retryOnContention(
      async () => {
        const licence = await this.load(id);
        if (!ending.from.includes(licence.state)) throw new BusinessRuleError(`licence ${id} is ${licence.state}`, 'licence_state');
        const at = this.deps.clock.now().toISOString();
        const [escrow, deletion] = await Promise.all([this.deps.ledger.getEscrow(id), this.deps.duties.getDuty(id, 'delete-on-expiry')]);
        const outcome = outcomeOfEnd(ending.endedBy);
        const settled = escrow?.status === 'held' ? settlementOf(escrow, outcome, at, this.deps.ids.next('mov')) : undefined;
        const updated = await this.deps.store.transition(
          id,
          {
            from: [licence.state],
            to: ending.to,
            at,
            by: actorIdOf(principal),
            reason: ending.reason,
            ...(settled ? { movements: [settled.movement], escrowClose: settled.close } : {}),
            ...deletionAtEnd(licence, deletion, at),
          },
          this.deps.audit.record({
            actor: actorOf(principal),
            action: ending.action,
            subject: id,
            parties: [licence.licensor.id, licence.licensee.id],
            data: { from: licence.state, to: ending.to, reason: ending.reason, ...(settled ? { [outcome]: settled.movement.amount } : {}) },
          }),
        );
        return licenceView(updated);
      },
      4,
      ['licence_state_changed'],
    );
  }

  async get(principal: Principal, id: string): Promise<Licence> {
    const licence = await this.visible(principal, id);
    return licenceView(licence, (await this.deps.policies.getPolicy()).version);
  }

  /** The signed licence as an ODRL 2.2 Agreement. */
  async odrl(principal: Principal, id: string, baseUrl: string): Promise<Record<string, unknown>> {
    const licence = await this.visible(principal, id);
    if (!licence.document) throw new BusinessRuleError('the licence has no signed document yet', 'not_signed');
    return licenceToOdrl(licence.document, { baseUrl });
  }

  async list(principal: Principal, state: LicenceState | undefined, page: PageRequest): Promise<Page<Licence>> {
    const current = (await this.deps.policies.getPolicy()).version;
    if (isOfficer(principal)) {
      const result = await this.deps.store.listByState(state, page);
      return { ...result, items: result.items.map((l) => licenceView(l, current)) };
    }
    // The state has its own list per party, so a page is never emptied by a filter while items remain.
    const result = await this.deps.store.listByParty(principal.partnerId, page, state);
    return { ...result, items: result.items.map((l) => licenceView(l, current)) };
  }

  /** The licence if the caller is a party or an officer; a 404 otherwise. */
  async visible(principal: Principal, id: string): Promise<StoredLicence> {
    const licence = await this.load(id);
    if (!isOfficer(principal) && licence.licensor.id !== principal.partnerId && licence.licensee.id !== principal.partnerId) throw new LicenceNotFoundError(id);
    return licence;
  }

  /** A rule that now asks for an officer sends the request back to the officers' inbox, with the terms in force. */
  private async awaitApproval(principal: Principal, licence: StoredLicence, at: string, refusal: ApprovalRequiredError): Promise<void> {
    const reason = refusal.message;
    await this.deps.store.transition(
      licence.id,
      { from: ['awaiting_signature'], to: 'pending_approval', at, by: actorIdOf(principal), reason, set: refusal.terms ?? { requiresApproval: true } },
      this.deps.audit.record({ actor: actorOf(principal), action: 'licence.approval_required', subject: licence.id, parties: [licence.licensor.id, licence.licensee.id], data: { from: licence.state, to: 'pending_approval', reason } }),
    );
  }

  private async move(
    principal: Principal,
    id: string,
    from: LicenceState[],
    to: LicenceState,
    action: string,
    reason: string | undefined,
    extra: Pick<LicenceTransition, 'set'> = {},
  ): Promise<Licence> {
    const licence = await this.load(id);
    if (!from.includes(licence.state)) throw new BusinessRuleError(`licence ${id} is ${licence.state}`, 'licence_state');
    const updated = await this.deps.store.transition(
      id,
      { from, to, at: this.deps.clock.now().toISOString(), by: actorIdOf(principal), ...(reason ? { reason } : {}), ...extra },
      this.deps.audit.record({ actor: actorOf(principal), action, subject: id, parties: [licence.licensor.id, licence.licensee.id], data: { from: licence.state, to, ...(reason ? { reason } : {}) } }),
    );
    return licenceView(updated);
  }

  private async load(id: string): Promise<StoredLicence> {
    const licence = await this.deps.store.getLicence(id);
    if (!licence) throw new LicenceNotFoundError(id);
    return licence;
  }
}
