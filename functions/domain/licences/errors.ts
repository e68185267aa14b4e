import type { StoredLicence } from '../../ports/licensing.ts';
import { BusinessRuleError, ForbiddenError, NotFoundError } from '../errors.ts';

export class LicenceNotFoundError extends NotFoundError {
  constructor(id: string, options?: ErrorOptions) {
    super('licence', id, options);
  }
}

/** The policy in force, the offer or the data's classification asks for an officer's approval that is not on record. */
export class ApprovalRequiredError extends BusinessRuleError {
  /** The terms in force that asked for the approval, kept so the request goes back to the inbox with them. */
  readonly terms?: Partial<StoredLicence>;
  constructor(message: string, terms?: Partial<StoredLicence>, options?: ErrorOptions) {
    super(message, 'approval_required', options);
    if (terms) this.terms = terms;
  }
}

/** Four eyes: the key or person that asked for something never approves it. */
export class FourEyesError extends ForbiddenError {
  constructor(what: string, options?: ErrorOptions) {
    super(`four eyes: the key or person that ${what} cannot approve it; another officer must`, 'four_eyes', options);
  }
}

/** A request refused because its partner already has `cap` requests waiting, on this offer or in all. */
export class TooManyPendingRequestsError extends BusinessRuleError {
  constructor(scope: 'offer' | 'total', cap: number, offerId: string, options?: ErrorOptions) {
    const where = scope === 'offer' ? `per offer (offer ${offerId} already has ${cap} of yours)` : `in total (you already have ${cap})`;
    super(
      `too many pending licence requests: at most ${cap} may wait for an answer (pending_approval or awaiting_signature) ${where}; sign one, or wait until the licensor or an officer answers`,
      'too_many_pending_requests',
      { ...options, details: [{ scope, cap, ...(scope === 'offer' ? { offerId } : {}) }] },
    );
  }
}
