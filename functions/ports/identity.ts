import type { Partner } from '../../schemas/index.ts';
import type { PendingAuditEvent } from '../domain/audit/audit-trail.ts';
import type { KeyRecord, Page, PageRequest, Principal } from '../domain/model.ts';

/** Persistence of partners and API keys; every write carries its audit event into the same transaction. */
export interface IdentityStore {
  /** The principal behind a key hash, in one read; undefined when unknown or revoked. */
  principalByKeyHash(keyHash: string): Promise<Principal | undefined>;
  getPartner(id: string): Promise<Partner | undefined>;
  listPartners(page: PageRequest): Promise<Page<Partner>>;
  getKey(keyId: string): Promise<KeyRecord | undefined>;
  listKeys(partnerId: string, page: PageRequest): Promise<Page<KeyRecord>>;
  /** `PartnerAlreadyExistsError` when the SIREN is taken. */
  createPartner(partner: Partner, firstKey: KeyRecord, event: PendingAuditEvent, keyEvent: PendingAuditEvent): Promise<void>;
  /** An officer key also counts one more active officer key; `TerritoryNotBootstrappedError` without a territory. */
  createKey(key: KeyRecord, event: PendingAuditEvent): Promise<void>;
  /** `KeyAlreadyRevokedError` when revoked meanwhile; `LastOfficerKeyError` when no other officer key is active. */
  revokeKey(key: KeyRecord, revokedAt: string, event: PendingAuditEvent): Promise<void>;
  /** Binds an active key that has no person yet to `personId`; a `StateConflictError` if it is revoked or bound already. */
  bindKey(key: KeyRecord, personId: string, event: PendingAuditEvent): Promise<void>;
  /** Id of the collectivity once the territory is bootstrapped. */
  territory(): Promise<{ collectivityId: string } | undefined>;
  /** Writes the collectivity, its first officer key and the territory marker at once; false if already done. */
  bootstrapTerritory(collectivity: Partner, officerKey: KeyRecord, events: readonly PendingAuditEvent[]): Promise<boolean>;
}
