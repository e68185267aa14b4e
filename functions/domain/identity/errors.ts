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

/** Revoking this officer key would leave the territory without one (the store's counter says so). */
export class LastOfficerKeyError extends StateConflictError {
  constructor(keyId: string, options?: ErrorOptions) {
    super(`key ${keyId} is the last active officer key: issue another before revoking it`, 'last_officer_key', options);
  }
}

/** The table holds no territory yet: run the bootstrap first. */
export class TerritoryNotBootstrappedError extends StateConflictError {
  constructor(options?: ErrorOptions) {
    super('this table has no territory: run `npm run bootstrap-territory` first', 'territory_not_bootstrapped', options);
  }
}
