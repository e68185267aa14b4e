import { DomainError, ForbiddenError, NotFoundError, StateConflictError } from '../errors.ts';

/** The provider's answer could not be trusted (state, nonce, PKCE, signature, iss/aud/exp, acr) or came too late. */
export class SignInRefusedError extends DomainError {
  readonly kind = 'unauthenticated';
  readonly code = 'sign_in_refused';
}

/** A state-changing request made with a session cookie but without the session's CSRF token. */
export class CsrfRefusedError extends DomainError {
  readonly kind = 'unauthenticated';
  readonly code = 'csrf_refused';
  constructor(options?: ErrorOptions) {
    super('a request that changes state with a session cookie must carry the session\'s X-CSRF-Token header', options);
  }
}

/** The signed-in person was never invited, or the provider's SIRET is not the partner's. */
export class NotInvitedError extends ForbiddenError {
  constructor(message: string, code = 'not_invited', options?: ErrorOptions) {
    super(message, code, options);
  }
}

/** No provider is configured: sign-in is off and API keys are the only way in. */
export class SignInNotConfiguredError extends NotFoundError {
  constructor(options?: ErrorOptions) {
    super('sign-in', 'provider (set COMPTOIR_OIDC_ISSUER)', options);
  }
}

export class PersonNotFoundError extends NotFoundError {
  constructor(id: string, options?: ErrorOptions) {
    super('person', id, options);
  }
}

/** The e-mail address belongs to someone already (on this partner or another). */
export class PersonAlreadyInvitedError extends StateConflictError {
  constructor(email: string, options?: ErrorOptions) {
    super(`${email} is already invited`, 'person_exists', options);
  }
}

/** The person changed meanwhile, or the provider's subject is bound to someone else. */
export class PersonStateConflictError extends StateConflictError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, 'person_conflict', options);
  }
}
