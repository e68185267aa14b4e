import { ComptoirClient, type ResponseOf } from '../../sdk/client.ts';

export type Me = ResponseOf<'me'>;
const KEY_SLOT = 'comptoir.key';

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
