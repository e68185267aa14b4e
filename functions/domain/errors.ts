/** How a domain error should be answered; mapped to an HTTP status in one place (`http/errors.ts`). */
export type ErrorKind = 'invalid' | 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict' | 'rule' | 'unavailable';

/** What every domain error accepts besides its message: the cause, details, and when to come back. */
export type DomainErrorOptions = ErrorOptions & { details?: unknown[]; retryAfterSeconds?: number };

/** Root of every error the platform raises on purpose. */
export abstract class DomainError extends Error {
  abstract readonly kind: ErrorKind;
  /** Stable machine-readable code shown to callers. */
  abstract readonly code: string;
  readonly details?: unknown[];
  /** Seconds after which the same request may succeed; answered as a `Retry-After` header. */
  readonly retryAfterSeconds?: number;

  constructor(message: string, options?: DomainErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    if (options?.details) this.details = options.details;
    if (options?.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** Input that does not fit the declared schema. */
export class InvalidRequestError extends DomainError {
  readonly kind = 'invalid';
  readonly code = 'invalid_request';
}

/** No key, an unknown key or a revoked key. */
export class UnauthenticatedError extends DomainError {
  readonly kind = 'unauthenticated';
  readonly code = 'unauthenticated';
  constructor(message = 'A valid API key is required: Authorization: Bearer <key>', options?: ErrorOptions) {
    super(message, options);
  }
}

/** The caller is known but the rule it breaks is named in the message. */
export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden';
  readonly code: string;
  constructor(message: string, code = 'forbidden', options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

/** Not found, or not visible to this caller (both answer the same, so ids do not leak). */
export class NotFoundError extends DomainError {
  readonly kind = 'not_found';
  readonly code = 'not_found';
  constructor(what: string, id: string, options?: ErrorOptions) {
    super(`${what} ${id} not found`, options);
  }
}

export class PartnerNotFoundError extends NotFoundError {
  constructor(id: string, options?: ErrorOptions) {
    super('partner', id, options);
  }
}

export class KeyNotFoundError extends NotFoundError {
  constructor(id: string, options?: ErrorOptions) {
    super('key', id, options);
  }
}

/** A change that the current state no longer allows (a concurrent write won, already revoked…). */
export class StateConflictError extends DomainError {
  readonly kind = 'conflict';
  readonly code: string;
  constructor(message: string, code = 'state_conflict', options?: DomainErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

/** Well-formed input refused by a business rule. */
export class BusinessRuleError extends DomainError {
  readonly kind = 'rule';
  readonly code: string;
  constructor(message: string, code: string, options?: ErrorOptions & { details?: unknown[] }) {
    super(message, options);
    this.code = code;
  }
}

/** A dependency (database, storage) failed; callers see a 5xx without the message. */
export class DependencyError extends DomainError {
  readonly kind = 'unavailable';
  readonly code = 'dependency_failed';
}
