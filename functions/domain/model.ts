import type { Partner, Role } from '../../schemas/index.ts';

/** The authenticated caller: one API key, its partner and role. */
export interface Principal {
  readonly keyId: string;
  readonly label: string;
  readonly partnerId: string;
  readonly role: Role;
}

/** One page of a list and the cursor of the next, if any. */
export interface Page<T> {
  readonly items: T[];
  readonly cursor?: string;
}

export interface PageRequest {
  readonly cursor?: string;
  readonly limit?: number;
}

/** Stored metadata of an API key (the secret is never stored, only its hash). */
export interface KeyRecord {
  readonly keyId: string;
  readonly keyHash: string;
  readonly partnerId: string;
  readonly role: Role;
  readonly label: string;
  readonly createdAt: string;
  readonly revokedAt?: string;
}

export type { Partner, Role };

export const isOfficer = (p: Principal): boolean => p.role === 'officer';
