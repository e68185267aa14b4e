import { describe, expect, it } from 'vitest';
import { OpenIdClientProvider } from '../../functions/adapters/oidc/openid-client-provider.ts';
import { parseSessionToken } from '../../functions/domain/people/session-tokens.ts';
import { contextOf, principalOf } from '../../functions/http/auth-context.ts';
import { cookieNames, readCookie, setCookie } from '../../functions/http/session-cookie.ts';

describe('session cookies', () => {
  it('are Secure with the __Host- prefix on https, and leave both out only when told (plain-http loopback)', () => {
    // Arrange / Act
    const secure = setCookie(cookieNames(true).session, 'v', 60, true);
    const plain = setCookie(cookieNames(false).session, 'v', 60, false);
    // Assert
    expect(secure).toBe('__Host-comptoir-session=v; Path=/; HttpOnly; SameSite=Lax; Max-Age=60; Secure');
    expect(plain).toBe('comptoir-session=v; Path=/; HttpOnly; SameSite=Lax; Max-Age=60');
  });

  it('reads one cookie by its exact name among API Gateway cookies', () => {
    const cookies = ['other=1', 'xcomptoir-session=forged', 'comptoir-session=ses_x.y'];
    expect(readCookie(cookies, 'comptoir-session')).toBe('ses_x.y');
    expect(readCookie(['comptoir-sessionx=1'], 'comptoir-session')).toBeUndefined();
  });

  it('parses only well-formed session tokens (no read spent on garbage)', () => {
    const id = 'ses_01JABCDEFGHJKMNPQRSTVWXYZ0';
    expect(parseSessionToken(`${id}.${'a'.repeat(43)}`)).toEqual({ sessionId: id, secret: 'a'.repeat(43) });
    for (const bad of [`${id}.short`, `key_01JABCDEFGHJKMNPQRSTVWXYZ0.${'a'.repeat(43)}`, `${id}${'a'.repeat(44)}`, undefined]) expect(parseSessionToken(bad)).toBeUndefined();
  });
});

describe('the authorizer context of a session', () => {
  const session = { keyId: 'psn_01JABCDEFGHJKMNPQRSTVWXYZ0', label: 'a@b.fr', partnerId: 'prt_1', role: 'admin' as const, personId: 'psn_01JABCDEFGHJKMNPQRSTVWXYZ0', session: { sessionId: 'ses_1', personId: 'psn_01JABCDEFGHJKMNPQRSTVWXYZ0', email: 'a@b.fr', expiresAt: '2030-01-01T00:00:00.000Z', csrfToken: 't' } };

  it('round-trips a session principal, and a key principal without a session', () => {
    expect(principalOf(contextOf(session))).toEqual(session);
    const { session: _none, ...key } = session;
    expect(principalOf(contextOf({ ...key, keyId: 'key_1' }))).toEqual({ ...key, keyId: 'key_1' });
    // A machine's key has no person, and gains none on the way.
    const { personId: _unbound, ...machine } = key;
    expect(principalOf(contextOf({ ...machine, keyId: 'key_1' }))).toEqual({ ...machine, keyId: 'key_1' });
  });

  it('refuses a session context that lacks its person or CSRF token', () => {
    const { csrfToken: _dropped, ...partial } = contextOf(session);
    expect(principalOf(partial)).toBeUndefined();
  });
});

describe('the OpenID adapter', () => {
  it('talks plain http to a provider on this machine only', async () => {
    const provider = new OpenIdClientProvider({ issuer: 'http://idp.example', clientId: 'c', clientSecret: async () => 's', scope: 'openid' });
    await expect(provider.begin('https://donnees.example.fr/auth/callback')).rejects.toMatchObject({ cause: { message: expect.stringMatching(/HTTPS/) } });
  });
});
