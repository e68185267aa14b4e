import { BusinessRuleError, ForbiddenError, NotFoundError } from '../errors.ts';

export class LicenceNotFoundError extends NotFoundError {
  constructor(id: string, options?: ErrorOptions) {
    super('licence', id, options);
  }
}

/** The policy in force, the offer or the data's classification asks for an officer's approval that is not on record. */
export class ApprovalRequiredError extends BusinessRuleError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, 'approval_required', options);
  }
}

/** Four eyes: the key that asked for something never approves it. */
export class FourEyesError extends ForbiddenError {
  constructor(what: string, options?: ErrorOptions) {
    super(`four eyes: the key that ${what} cannot approve it; another officer's key must`, 'four_eyes', options);
  }
}
