import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenIdClientProvider } from '../../functions/adapters/oidc/openid-client-provider.ts';
import { SignInRefusedError } from '../../functions/domain/people/errors.ts';

/**
 * The ID-token checks of the OpenID adapter, against a provider that answers whatever token a case
 * asks for: signature against the discovered JWKS, iss, aud, exp, nonce, state and the required acr.
 */

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const KID = 'k1';

function jwt(claims: Record<string, unknown>, key: KeyObject): string {
  const data = `${b64({ alg: 'RS256', kid: KID, typ: 'JWT' })}.${b64(claims)}`;
  return `${data}.${createSign('sha256').update(data).sign(key).toString('base64url')}`;
}

describe('the OpenID adapter checks what the provider sends', () => {
  const good = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let server: Server;
  let issuer = '';
  /** The ID token the token endpoint answers next, given the nonce the client sent. */
  let nextToken: (nonce: string) => string = () => '';
  let lastNonce = '';

  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', issuer);
      const json = (body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (url.pathname === '/.well-known/openid-configuration') {
        return json({
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          userinfo_endpoint: `${issuer}/userinfo`,
          jwks_uri: `${issuer}/jwks`,
          end_session_endpoint: `${issuer}/logout`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
        });
      }
      if (url.pathname === '/jwks') return json({ keys: [{ ...good.publicKey.export({ format: 'jwk' }), kid: KID, use: 'sig', alg: 'RS256' }] });
      if (url.pathname === '/token') return json({ access_token: 'at', token_type: 'Bearer', expires_in: 60, id_token: nextToken(lastNonce) });
      if (url.pathname === '/userinfo') return json({ sub: 'agent-1', email: 'agent@example.gouv.fr', siret: '21750001600019' });
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const adapter = (acrValues?: string[]) =>
    new OpenIdClientProvider({ issuer, clientId: 'comptoir', clientSecret: async () => 's3cret', scope: 'openid email siret', ...(acrValues ? { acrValues } : {}) });

  const now = () => Math.floor(Date.now() / 1000);
  const claims = (nonce: string, extra: Record<string, unknown> = {}) => ({ iss: issuer, aud: 'comptoir', sub: 'agent-1', iat: now(), exp: now() + 300, nonce, acr: 'eidas1', ...extra });

  /** Begins a sign-in, then finishes it with the token `token` makes and the callback query given. */
  const run = async (token: (nonce: string) => string, options: { acrValues?: string[]; asked?: string[]; state?: string } = {}) => {
    const provider = adapter(options.acrValues);
    const { url, secrets } = await provider.begin('http://127.0.0.1/auth/callback', options.asked);
    lastNonce = new URL(url).searchParams.get('nonce')!;
    nextToken = token;
    return provider.finish(new URL(`http://127.0.0.1/auth/callback?code=c0de&state=${options.state ?? secrets.state}`), secrets);
  };

  it('accepts a token signed by the discovered key, for this client, in time, with the nonce sent', async () => {
    const identity = await run((nonce) => jwt(claims(nonce), good.privateKey));
    expect(identity).toMatchObject({ issuer, subject: 'agent-1', email: 'agent@example.gouv.fr', siret: '21750001600019', acr: 'eidas1' });
  });

  it.each([
    ['another audience', (nonce: string) => jwt(claims(nonce, { aud: 'someone-else' }), good.privateKey)],
    ['an expired token', (nonce: string) => jwt(claims(nonce, { iat: now() - 7200, exp: now() - 3600 }), good.privateKey)],
    ['another issuer', (nonce: string) => jwt(claims(nonce, { iss: 'https://rogue.example' }), good.privateKey)],
    ['another nonce', () => jwt(claims('not-the-nonce-sent'), good.privateKey)],
    ['a key the JWKS does not hold', (nonce: string) => jwt(claims(nonce), other.privateKey)],
  ])('refuses %s', async (_case, token) => {
    await expect(run(token)).rejects.toBeInstanceOf(SignInRefusedError);
  });

  it('refuses a callback whose state is not the one sent', async () => {
    await expect(run((nonce) => jwt(claims(nonce), good.privateKey), { state: 'forged' })).rejects.toBeInstanceOf(SignInRefusedError);
  });

  it('asks for the required acr and refuses a token at another level', async () => {
    const provider = adapter(['eidas2']);
    const { url } = await provider.begin('http://127.0.0.1/auth/callback');
    expect(new URL(url).searchParams.get('acr_values')).toBe('eidas2');
    await expect(run((nonce) => jwt(claims(nonce), good.privateKey), { acrValues: ['eidas2'] })).rejects.toThrow(/acr eidas1/);
    await expect(run((nonce) => jwt(claims(nonce, { acr: 'eidas2' }), good.privateKey), { acrValues: ['eidas2'] })).resolves.toMatchObject({ acr: 'eidas2' });
  });

  it('asks one sign-in for the level a route needs, and refuses a token that claims another or none', async () => {
    // Arrange
    const dirigeant = 'https://proconnect.gouv.fr/assurance/certification-dirigeant';
    const { url } = await adapter().begin('http://127.0.0.1/auth/callback', [dirigeant]);

    // Assert: asked of the provider, as a value and as an essential claim.
    expect(new URL(url).searchParams.get('acr_values')).toBe(dirigeant);
    expect(JSON.parse(new URL(url).searchParams.get('claims')!)).toEqual({ id_token: { acr: { essential: true, values: [dirigeant] } } });
    // A step-up: the person authenticates again, whatever session the provider keeps; the platform-wide level asks no such thing.
    expect(new URL(url).searchParams.get('prompt')).toBe('login');
    expect(new URL((await adapter(['eidas1']).begin('http://127.0.0.1/auth/callback')).url).searchParams.get('prompt')).toBeNull();
    await expect(run((nonce) => jwt(claims(nonce, { acr: 'eidas2' }), good.privateKey), { asked: [dirigeant] })).rejects.toThrow(/acr eidas2.*not the one asked/);
    await expect(run((nonce) => jwt(claims(nonce, { acr: undefined }), good.privateKey), { asked: [dirigeant] })).rejects.toThrow(/acr none/);
    await expect(run((nonce) => jwt(claims(nonce, { acr: dirigeant }), good.privateKey), { asked: [dirigeant] })).resolves.toMatchObject({ acr: dirigeant });
    // The level asked of one sign-in replaces the platform's, which is not asked besides.
    await expect(run((nonce) => jwt(claims(nonce, { acr: 'eidas1' }), good.privateKey), { acrValues: ['eidas1'], asked: ['eidas2'] })).rejects.toThrow(/not the one asked \(eidas2\)/);
    // A higher eIDAS level meets a lower one.
    await expect(run((nonce) => jwt(claims(nonce, { acr: 'eidas3' }), good.privateKey), { asked: ['eidas2'] })).resolves.toMatchObject({ acr: 'eidas3' });
  });

  it('builds the end-session URL with the ID token as hint', async () => {
    const end = new URL((await adapter().endSessionUrl('id.token.here', 'http://127.0.0.1/'))!);
    expect(`${end.origin}${end.pathname}`).toBe(`${issuer}/logout`);
    expect(end.searchParams.get('id_token_hint')).toBe('id.token.here');
    expect(end.searchParams.get('post_logout_redirect_uri')).toBe('http://127.0.0.1/');
  });
});
