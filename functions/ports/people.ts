import type { Person } from '../../schemas/index.ts';
import type { PendingAuditEvent } from '../domain/audit/audit-trail.ts';
import type { Page, PageRequest, Role } from '../domain/model.ts';

/** A person as stored: once signed in, bound to the provider's issuer and subject. */
export interface StoredPerson extends Person {
  readonly issuer?: string;
  readonly subject?: string;
}

/** A server-side session; the cookie carries `sessionId.secret`, the store only the secret's hash. */
export interface SessionRecord {
  readonly sessionId: string;
  readonly secretHash: string;
  readonly personId: string;
  readonly partnerId: string;
  readonly role: Role;
  readonly email: string;
  /** The person's name as the provider gave it, for the console's header. */
  readonly name?: string;
  readonly csrfToken: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  /** Sent back to the provider as `id_token_hint` when the person logs out. */
  readonly idToken: string;
  readonly acr?: string;
}

/** What a sign-in keeps between the redirect to the provider and its return (single use, minutes long). */
export interface LoginAttempt {
  readonly stateHash: string;
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  readonly acrValues?: readonly string[];
  readonly returnTo: string;
  readonly expiresAt: string;
}

/** Persistence of people, their sessions and sign-ins under way; person writes carry their audit event. */
export interface PeopleStore {
  getPerson(id: string): Promise<StoredPerson | undefined>;
  personByEmail(email: string): Promise<StoredPerson | undefined>;
  personBySubject(issuer: string, subject: string): Promise<StoredPerson | undefined>;
  listPeople(partnerId: string, page: PageRequest): Promise<Page<StoredPerson>>;
  /** `PersonAlreadyInvitedError` when the e-mail address belongs to someone already. */
  invite(person: StoredPerson, event: PendingAuditEvent): Promise<void>;
  /** Binds the subject at first sign-in; `PersonStateConflictError` if the person changed or the subject is taken. */
  activate(person: StoredPerson, event: PendingAuditEvent): Promise<void>;
  /** Deletes the person, its e-mail and subject bindings and every session it has. */
  remove(person: StoredPerson, event: PendingAuditEvent): Promise<void>;
  createSession(session: SessionRecord, event: PendingAuditEvent): Promise<void>;
  /** Strongly consistent, so a logout or removal holds from the next request. */
  getSession(sessionId: string): Promise<SessionRecord | undefined>;
  deleteSession(sessionId: string): Promise<void>;
  saveLoginAttempt(attempt: LoginAttempt): Promise<void>;
  /** Reads and deletes in one step: a state is good for one callback only. */
  takeLoginAttempt(stateHash: string): Promise<LoginAttempt | undefined>;
}
