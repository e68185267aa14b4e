import { ApiError, ComptoirClient, type ResponseOf } from '../../sdk/client.ts';

export type Me = ResponseOf<'me'>;
const KEY_SLOT = 'comptoir.key';
/** Methods a session cookie authenticates alone; every other one needs the session's CSRF token. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The signed-in key lives in session storage only: closing the tab signs out. */
export const storedKey = (): string | null => sessionStorage.getItem(KEY_SLOT);

/** A client of the API on this page's own origin. */
export const clientFor = (key?: string): ComptoirClient => new ComptoirClient({ baseUrl: '', ...(key ? { key } : {}) });

/** Checks a key against `GET /v1/me` and keeps it for this tab. */
export async function signIn(key: string): Promise<{ api: ComptoirClient; me: Me }> {
  const api = clientFor(key.trim());
  const me = await api.call('me');
  sessionStorage.setItem(KEY_SLOT, key.trim());
  return { api, me };
}

export function signOut(): void {
  sessionStorage.removeItem(KEY_SLOT);
}

/** Where the ProConnect button starts signing in, coming back to `hash` (the page asked for). */
export function loginHref(hash: string): string {
  const route = hash.replace(/^#/, '');
  return `/auth/login?returnTo=${encodeURIComponent(route && route !== '/' ? `/#${route}` : '/')}`;
}

/**
 * A client that rides the session cookie (same origin only) and sends the session's CSRF token
 * on every request that changes state, as the server requires of a cookie.
 */
export function sessionClient(csrfToken: string): ComptoirClient {
  return new ComptoirClient({
    baseUrl: '',
    fetch: (input, init) => {
      const method = (init?.method ?? 'GET').toUpperCase();
      const headers = { ...(init?.headers as Record<string, string> | undefined), ...(SAFE_METHODS.has(method) ? {} : { 'x-csrf-token': csrfToken }) };
      return fetch(input, { ...init, headers, credentials: 'same-origin' });
    },
  });
}

/** The browser's session, if its cookie opens one: undefined when nobody signed in with the provider. */
export async function resumeSession(): Promise<{ api: ComptoirClient; me: Me } | undefined> {
  try {
    const me = await new ComptoirClient({ baseUrl: '', fetch: (input, init) => fetch(input, { ...init, credentials: 'same-origin' }) }).call('me');
    return me.session ? { api: sessionClient(me.session.csrfToken), me } : undefined;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return undefined;
    throw error;
  }
}

/** Ends the session here and answers where the browser ends the provider's (none if it is gone already). */
export async function endProviderSession(api: ComptoirClient): Promise<string | undefined> {
  try {
    return (await api.call('logout')).endSessionUrl;
  } catch (error) {
    // A session that expired meanwhile has nothing left to end here.
    if (error instanceof ApiError && error.status === 401) return undefined;
    throw error;
  }
}
