import { StateConflictError } from '../errors.ts';

/** A partner with this SIREN is already registered. */
export class PartnerAlreadyExistsError extends StateConflictError {
  constructor(siren: string, options?: ErrorOptions) {
    super(`a partner with SIREN ${siren} is already registered`, 'partner_exists', options);
  }
}

/** The key was already revoked (possibly by a concurrent request). */
export class KeyAlreadyRevokedError extends StateConflictError {
  constructor(keyId: string, options?: ErrorOptions) {
    super(`key ${keyId} is already revoked`, 'key_revoked', options);
  }
}
