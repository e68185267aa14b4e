import { routes } from '../../schemas/routes.ts';
import { dispatch } from '../http/dispatch.ts';
import { HttpReply } from '../http/responses.ts';
import { implement } from '../http/route-handler.ts';
import { clearCookie, cookieNames, readCookie, setCookie } from '../http/session-cookie.ts';
import { LOGIN_ATTEMPT_SECONDS } from '../domain/people/sign-in-service.ts';
import { identityService as identity } from '../wiring/identity.ts';
import { notificationPreferences } from '../wiring/notification-preferences.ts';
import { peopleService as people, secureCookies, signInService as signIn } from '../wiring/people.ts';

const COOKIES = cookieNames(secureCookies);

export const me = implement(routes.me, ({ principal }) => identity.me(principal));
export const getNotificationPreferences = implement(routes.getNotificationPreferences, ({ principal }) => notificationPreferences.get(principal));
export const putNotificationPreferences = implement(routes.putNotificationPreferences, ({ principal, body }) => notificationPreferences.put(principal, body));
export const createPartner = implement(routes.createPartner, ({ principal, body }) => identity.createPartner(principal, body));
export const listPartners = implement(routes.listPartners, ({ principal, query }) => identity.listPartners(principal, query));
export const getPartner = implement(routes.getPartner, ({ principal, params }) => identity.getPartner(principal, params.id));
export const createKey = implement(routes.createKey, ({ principal, params, body }) => identity.issueKey(principal, params.id, body));
export const listKeys = implement(routes.listKeys, ({ principal, params, query }) => identity.listKeys(principal, params.id, query));
export const revokeKey = implement(routes.revokeKey, ({ principal, params }) => identity.revokeKey(principal, params.keyId));
export const invitePerson = implement(routes.invitePerson, ({ principal, params, body }) => people.invite(principal, params.id, body));
export const listPeople = implement(routes.listPeople, ({ principal, params, query }) => people.list(principal, params.id, query));
export const removePerson = implement(routes.removePerson, ({ principal, params }) => people.remove(principal, params.personId));
export const login = implement(routes.login, async ({ query }) => {
  const started = await signIn.begin(query.returnTo, query.acr);
  return HttpReply.redirect(started.location, [setCookie(COOKIES.login, started.state, LOGIN_ATTEMPT_SECONDS, secureCookies)]);
});
export const callback = implement(routes.callback, async ({ query, cookies, rawQuery }) => {
  const done = await signIn.finish(query, new URL(`${signIn.callbackUrl}?${rawQuery}`), readCookie(cookies, COOKIES.login));
  const session = 'token' in done ? [setCookie(COOKIES.session, done.token, done.maxAgeSeconds, secureCookies)] : [];
  return HttpReply.redirect(done.location, [...session, clearCookie(COOKIES.login, secureCookies)]);
});
export const logout = implement(routes.logout, async ({ principal }) =>
  HttpReply.status(200, await signIn.logout(principal), { 'set-cookie': clearCookie(COOKIES.session, secureCookies) }),
);

/** Lambda entry of the `identity` function group. */
export const handler = dispatch('identity', { me, getNotificationPreferences, putNotificationPreferences, createPartner, listPartners, getPartner, createKey, listKeys, revokeKey, invitePerson, listPeople, removePerson, login, callback, logout });
