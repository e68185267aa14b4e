import type { PeopleStore } from '../../ports/people.ts';
import type { Clock } from '../../ports/time.ts';
import type { Principal } from '../model.ts';
import { hashSecret, parseSessionToken, sameSecret } from './session-tokens.ts';

/** Methods that change nothing: the only ones a session cookie alone may authenticate. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** What a session cookie is worth on one request. */
export type SessionCheck = { readonly principal: Principal } | { readonly refused: 'csrf' } | undefined;

/** Turns a session cookie into the same principal an API key gives, with the person (the authorizer's one read). */
export class SessionAuthenticator {
  constructor(private readonly deps: { people: Pick<PeopleStore, 'getSession'>; clock: Clock }) {}

  /** undefined for no, a malformed, an unknown or an expired session; `refused` when a change lacks its CSRF token. */
  async check(token: string | undefined, method: string, csrfHeader: string | undefined): Promise<SessionCheck> {
    const parsed = parseSessionToken(token);
    if (!parsed) return undefined;
    const session = await this.deps.people.getSession(parsed.sessionId);
    if (!session || !sameSecret(hashSecret(parsed.secret), session.secretHash)) return undefined;
    // TTL deletes expired items only eventually (up to days later): the expiry itself is checked here.
    if (Date.parse(session.expiresAt) <= this.deps.clock.now().getTime()) return undefined;
    if (!SAFE_METHODS.has(method.toUpperCase()) && !sameSecret(csrfHeader, session.csrfToken)) return { refused: 'csrf' };
    return {
      principal: {
        keyId: session.personId,
        personId: session.personId,
        label: session.email,
        partnerId: session.partnerId,
        role: session.role,
        session: { sessionId: session.sessionId, personId: session.personId, email: session.email, ...(session.name ? { name: session.name } : {}), expiresAt: session.expiresAt, csrfToken: session.csrfToken, ...(session.acr ? { acr: session.acr } : {}) },
      },
    };
  }
}
