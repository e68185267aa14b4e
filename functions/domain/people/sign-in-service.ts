import type { IdentityStore } from '../../ports/identity.ts';
import type { OpenIdProvider, VerifiedIdentity } from '../../ports/openid.ts';
import type { PeopleStore, SessionRecord, StoredPerson } from '../../ports/people.ts';
import type { Clock, IdGenerator } from '../../ports/time.ts';
import { AuditTrail, systemActor } from '../audit/audit-trail.ts';
import { BusinessRuleError } from '../errors.ts';
import type { Partner, Principal } from '../model.ts';
import { AcrInsufficientError, acrMeets } from './assurance.ts';
import { NotInvitedError, SignInNotConfiguredError, SignInRefusedError } from './errors.ts';
import { hashSecret, randomSecret, sameSecret, sessionToken } from './session-tokens.ts';

/** A sign-in must come back from the provider within this many seconds. */
export const LOGIN_ATTEMPT_SECONDS = 600;

export interface SignInDeps {
  readonly people: PeopleStore;
  readonly identity: Pick<IdentityStore, 'getPartner'>;
  /** Absent when no provider is configured: sign-in answers 404 and API keys still work. */
  readonly provider: OpenIdProvider | undefined;
  readonly audit: AuditTrail;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** The territory's level for partner admins: an invited admin's first sign-in must meet it. */
  readonly partnerAdminAcr?: readonly string[];
  /** The platform's public base URL: the callback and the console live under it. */
  readonly publicUrl: string;
  /** How long a session lasts, absolute (no sliding renewal). */
  readonly sessionSeconds: number;
}

/** Where the browser goes next, with the state to bind to it in a short-lived cookie. */
export interface SignInStart {
  readonly location: string;
  readonly state: string;
}

/** A new session: the cookie value and how long it lasts. */
export interface SignInDone {
  readonly location: string;
  readonly token: string;
  readonly maxAgeSeconds: number;
}

/** No session: the browser signs in again, asking the provider for the level the invitation needs. */
export interface SignInStepUp {
  readonly location: string;
  readonly stepUp: true;
}

const fullName = (id: VerifiedIdentity) => [id.givenName, id.usualName].filter(Boolean).join(' ') || undefined;

/** OpenID Connect sign-in of invited people, server-side sessions and logout (here and at the provider). */
export class SignInService {
  constructor(private readonly deps: SignInDeps) {}

  get callbackUrl(): string {
    return `${this.deps.publicUrl}/auth/callback`;
  }

  /** `acr`: a stronger level asked for (the console retries so after a 403 `acr_insufficient`). */
  async begin(returnTo = '/', acr?: string): Promise<SignInStart> {
    const provider = this.provider();
    const { url, secrets } = await provider.begin(this.callbackUrl, acr ? [acr] : undefined);
    const expiresAt = new Date(this.deps.clock.now().getTime() + LOGIN_ATTEMPT_SECONDS * 1000).toISOString();
    await this.deps.people.saveLoginAttempt({ stateHash: hashSecret(secrets.state), ...secrets, returnTo, expiresAt });
    return { location: url, state: secrets.state };
  }

  /** The provider sent the browser back: `boundState` is the state of this browser's login cookie. */
  async finish(query: { state?: string; error?: string }, callbackUrl: URL, boundState: string | undefined): Promise<SignInDone | SignInStepUp> {
    const provider = this.provider();
    if (query.error) throw new SignInRefusedError(`the provider answered ${query.error}`);
    // The state must be the one this browser started with, so a code cannot be planted in someone else's browser.
    if (!query.state || !sameSecret(query.state, boundState)) throw new SignInRefusedError('the state does not match the sign-in this browser started');
    const attempt = await this.deps.people.takeLoginAttempt(hashSecret(query.state));
    if (!attempt || Date.parse(attempt.expiresAt) <= this.deps.clock.now().getTime()) throw new SignInRefusedError('this sign-in expired or was already used: start again');
    const identity = await provider.finish(callbackUrl, attempt);
    let person: StoredPerson;
    try {
      person = await this.personFor(identity);
    } catch (error) {
      const needed = this.deps.partnerAdminAcr;
      // An invited admin below the level signs in again asking for it, once: a sign-in that asked for a level is refused instead.
      if (error instanceof AcrInsufficientError && needed && !attempt.acrValues?.length) {
        return { location: `${this.deps.publicUrl}/auth/login?acr=${encodeURIComponent(needed[0]!)}&returnTo=${encodeURIComponent(attempt.returnTo)}`, stepUp: true };
      }
      throw error;
    }
    const now = this.deps.clock.now();
    const secret = randomSecret();
    const session: SessionRecord = {
      sessionId: this.deps.ids.next('ses'),
      secretHash: hashSecret(secret),
      personId: person.id,
      partnerId: person.partnerId,
      role: person.role,
      email: person.email,
      ...(person.name ? { name: person.name } : {}),
      csrfToken: randomSecret(),
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.deps.sessionSeconds * 1000).toISOString(),
      idToken: identity.idToken,
      ...(identity.acr ? { acr: identity.acr } : {}),
    };
    const event = this.deps.audit.record({
      actor: { type: 'person', personId: person.id, sessionId: session.sessionId, partnerId: person.partnerId, role: person.role },
      action: 'session.started',
      subject: person.id,
      parties: [person.partnerId],
      data: { sessionId: session.sessionId, expiresAt: session.expiresAt, ...(identity.acr ? { acr: identity.acr } : {}) },
    });
    await this.deps.people.createSession(session, event);
    return { location: this.deps.publicUrl + attempt.returnTo, token: sessionToken(session.sessionId, secret), maxAgeSeconds: this.deps.sessionSeconds };
  }

  /** Ends the caller's session here and says where the browser ends the provider's. */
  async logout(principal: Principal): Promise<{ endSessionUrl?: string }> {
    if (!principal.session) throw new BusinessRuleError('an API key has no session to end: revoke the key instead', 'not_a_session');
    const session = await this.deps.people.getSession(principal.session.sessionId);
    await this.deps.people.deleteSession(principal.session.sessionId);
    if (!session || !this.deps.provider) return {};
    const endSessionUrl = await this.deps.provider.endSessionUrl(session.idToken, `${this.deps.publicUrl}/`);
    return endSessionUrl ? { endSessionUrl } : {};
  }

  /** The invited person this identity is, bound to its subject on the first sign-in. */
  private async personFor(identity: VerifiedIdentity): Promise<StoredPerson> {
    const known = await this.deps.people.personBySubject(identity.issuer, identity.subject);
    if (known) return known;
    if (!identity.email) throw new NotInvitedError('the provider gave no e-mail address to find an invitation by');
    const invited = await this.deps.people.personByEmail(identity.email.toLowerCase());
    if (!invited) throw new NotInvitedError(`no invitation for ${identity.email}: ask an officer or your organisation's admin`);
    if (invited.status !== 'invited') throw new NotInvitedError(`${identity.email} is bound to another account of the provider`, 'subject_mismatch');
    const partner = await this.deps.identity.getPartner(invited.partnerId);
    if (!partner) throw new NotInvitedError(`no invitation for ${identity.email}`);
    this.assertSiret(invited, partner, identity.siret);
    // An admin invitation holds only once its person signed in at the territory's level for partner admins.
    if (invited.role === 'admin' && this.deps.partnerAdminAcr && !acrMeets(identity.acr, this.deps.partnerAdminAcr)) {
      throw new AcrInsufficientError(identity.acr, this.deps.partnerAdminAcr);
    }
    const name = fullName(identity);
    const activated: StoredPerson = {
      ...invited,
      status: 'active',
      issuer: identity.issuer,
      subject: identity.subject,
      ...(name ? { name } : {}),
      activatedAt: this.deps.clock.now().toISOString(),
    };
    const event = this.deps.audit.record({ actor: systemActor('sign-in'), action: 'person.activated', subject: invited.id, parties: [invited.partnerId], data: { partnerId: invited.partnerId, role: invited.role } });
    await this.deps.people.activate(activated, event);
    return activated;
  }

  /** When the provider names the person's establishment, it must be the invitation's, or belong to the partner's SIREN. */
  private assertSiret(person: StoredPerson, partner: Partner, siret: string | undefined): void {
    if (siret === undefined) return;
    const expected = person.siret ?? partner.siren;
    if (expected === undefined) return;
    if (person.siret ? siret !== person.siret : siret.slice(0, 9) !== partner.siren) {
      throw new NotInvitedError(`the provider's SIRET ${siret} is not ${partner.name}'s`, 'siret_mismatch');
    }
  }

  private provider(): OpenIdProvider {
    if (!this.deps.provider) throw new SignInNotConfiguredError();
    return this.deps.provider;
  }
}
