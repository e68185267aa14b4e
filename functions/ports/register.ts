import type { RegisterMask } from '../../schemas/index.ts';
import type { PendingAuditEvent } from '../domain/audit/audit-trail.ts';

/** The masking of one register entry as stored, with its optimistic version (0: never masked). */
export type StoredRegisterMask = RegisterMask & { readonly version: number };

/** Maskings of register entries; every write carries its audit event. */
export interface RegisterMaskStore {
  get(licenceId: string): Promise<StoredRegisterMask | undefined>;
  /** The maskings of these licences (absent ones are left out). */
  getMany(licenceIds: readonly string[]): Promise<Map<string, StoredRegisterMask>>;
  /** Writes `mask` if the stored version is still `mask.version - 1`; `StateConflictError` otherwise. */
  put(mask: StoredRegisterMask, event: PendingAuditEvent): Promise<void>;
}
