import { DynamoPeopleStore } from '../adapters/dynamo/people-store.ts';
import { SessionAuthenticator } from '../domain/people/session-authenticator.ts';
import { clock } from './core.ts';
import { documentClient, tableName } from './table.ts';

export const peopleStore = new DynamoPeopleStore(documentClient, tableName);

/** Session cookies to principals, for the authorizer (no zod, no provider client in its bundle). */
export const sessionAuthenticator = new SessionAuthenticator({ people: peopleStore, clock });

/** Secure cookies unless the public URL is plain http (a loopback local runtime); secure when unknown. */
export const secureCookies = !(process.env.COMPTOIR_PUBLIC_URL ?? '').startsWith('http://');
