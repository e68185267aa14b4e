import type { Partner, Role } from '../../schemas/index.ts';

/** The authenticated caller: one API key or one signed-in person, its partner and role. */
export interface Principal {
  /**
   * Who acts, as histories and four eyes name it: the API key's id, or the person's id (`psn_…`) for
   * a session, so that a person who asked for something cannot approve it from another session.
   */
  readonly keyId: string;
  readonly label: string;
  readonly partnerId: string;
  readonly role: Role;
  /** The person behind the caller: the signed-in person, or the person who issued the API key used (unset for a machine's key). */
  readonly personId?: string;
  /** Set when a person signed in (a session cookie) rather than an API key. */
  readonly session?: { readonly sessionId: string; readonly personId: string; readonly email: string; readonly name?: string; readonly expiresAt: string; readonly csrfToken: string; readonly acr?: string };
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
  /** The person who issued the key from a session: the key speaks as them, and dies with them. */
  readonly personId?: string;
}

export type { Partner, Role };

/** Who acts, as histories and four eyes name it: the person behind the caller, else the key's id. */
export const actorIdOf = (p: Principal): string => p.personId ?? p.keyId;

/** The one home of four eyes: whether `principal` is the actor recorded as `recorded` (a person through any session or bound key). */
export const sameActor = (recorded: string | undefined, principal: Principal): boolean => !!recorded && recorded === actorIdOf(principal);

export const isOfficer = (p: Principal): boolean => p.role === 'officer';
