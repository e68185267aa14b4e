import * as client from 'openid-client';
import { DependencyError } from '../../domain/errors.ts';
import { acrMeets } from '../../domain/people/assurance.ts';
import { SignInRefusedError } from '../../domain/people/errors.ts';
import type { AuthorisationSecrets, OpenIdProvider, VerifiedIdentity } from '../../ports/openid.ts';

/** How Comptoir is registered with the provider. */
export interface OpenIdSettings {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: () => Promise<string>;
  /** ProConnect asks for claims as scopes: `openid email given_name usual_name siret`. */
  readonly scope: string;
  /** Requested as `acr_values` and required of the ID token when set (e.g. `eidas1`). */
  readonly acrValues?: readonly string[];
}

const isLoopbackHttp = (url: URL) => url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

/**
 * The provider through `openid-client`: discovery once per process, authorisation code with PKCE
 * (S256), state and nonce, and ID-token signatures checked against the discovered JWKS.
 */
export class OpenIdClientProvider implements OpenIdProvider {
  private config?: Promise<client.Configuration>;

  constructor(private readonly settings: OpenIdSettings) {}

  async begin(redirectUri: string, acrValues?: readonly string[]): Promise<{ url: string; secrets: AuthorisationSecrets }> {
    const config = await this.configuration();
    // A sign-in that asks for a level (a route needs more) asks for it instead of the platform's.
    const asked = acrValues?.length ? acrValues : this.settings.acrValues;
    const secrets = { state: client.randomState(), nonce: client.randomNonce(), codeVerifier: client.randomPKCECodeVerifier(), ...(asked?.length ? { acrValues: asked } : {}) };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: this.settings.scope,
      state: secrets.state,
      nonce: secrets.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(secrets.codeVerifier),
      code_challenge_method: 'S256',
      ...(asked?.length ? { acr_values: asked.join(' '), claims: JSON.stringify({ id_token: { acr: { essential: true, values: asked } } }) } : {}),
      // A level asked of this sign-in (a step-up) needs the person to authenticate again, not the provider's session at a lower level.
      ...(acrValues?.length ? { prompt: 'login' } : {}),
    });
    return { url: url.href, secrets };
  }

  async finish(callbackUrl: URL, secrets: AuthorisationSecrets): Promise<VerifiedIdentity> {
    const config = await this.configuration();
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(config, callbackUrl, { pkceCodeVerifier: secrets.codeVerifier, expectedState: secrets.state, expectedNonce: secrets.nonce, idTokenExpected: true });
    } catch (error) {
      throw this.refusal(error);
    }
    const claims = tokens.claims()!;
    const acr = text(claims.acr);
    // What was asked of this sign-in, or else what the platform requires of every one.
    const required = secrets.acrValues?.length ? secrets.acrValues : this.settings.acrValues;
    if (required?.length && !acrMeets(acr, required)) {
      throw new SignInRefusedError(`the sign-in's assurance level (acr ${acr ?? 'none'}) is not the one asked (${required.join(', ')})`);
    }
    let info: client.UserInfoResponse;
    try {
      info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
    } catch (error) {
      throw this.refusal(error);
    }
    const pick = (name: string) => text(info[name]) ?? text(claims[name]);
    return {
      issuer: claims.iss,
      subject: claims.sub,
      ...optional('email', pick('email')),
      ...optional('givenName', pick('given_name')),
      ...optional('usualName', pick('usual_name') ?? pick('family_name')),
      ...optional('siret', pick('siret')),
      ...optional('acr', acr),
      idToken: tokens.id_token!,
    };
  }

  async endSessionUrl(idToken: string, postLogoutRedirectUri: string): Promise<string | undefined> {
    const config = await this.configuration();
    if (!config.serverMetadata().end_session_endpoint) return undefined;
    return client.buildEndSessionUrl(config, { id_token_hint: idToken, post_logout_redirect_uri: postLogoutRedirectUri }).href;
  }

  private configuration(): Promise<client.Configuration> {
    this.config ??= this.discover().catch((error: unknown) => {
      // The next sign-in tries again rather than keeping a failed discovery for the life of the process.
      this.config = undefined;
      throw new DependencyError(`OpenID discovery of ${this.settings.issuer} failed`, { cause: error });
    });
    return this.config;
  }

  private async discover(): Promise<client.Configuration> {
    const issuer = new URL(this.settings.issuer);
    const secret = await this.settings.clientSecret();
    // Plain http only to a provider on this machine (the local runtime's); anything else must be https.
    const execute = [client.enableNonRepudiationChecks, ...(isLoopbackHttp(issuer) ? [client.allowInsecureRequests] : [])];
    return client.discovery(issuer, this.settings.clientId, { id_token_signed_response_alg: 'RS256' }, client.ClientSecretPost(secret), { execute });
  }

  /** Protocol and validation failures are the provider's answer refused; network failures are a dependency down. */
  private refusal(error: unknown): Error {
    if (error instanceof client.ResponseBodyError || error instanceof client.AuthorizationResponseError || error instanceof client.ClientError) {
      return new SignInRefusedError(`the provider's answer was refused: ${(error as Error).message}${claimOf(error) ? ` (claim ${claimOf(error)})` : ''}`, { cause: error });
    }
    return new DependencyError('the OpenID provider could not be reached', { cause: error });
  }
}

const optional = <K extends string>(key: K, value: string | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, string>));

/** The ID-token claim a validation failure names (nonce, aud, exp…), found along the cause chain. */
function claimOf(error: unknown): string | undefined {
  for (let e = error as { cause?: unknown; claim?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (typeof e.claim === 'string') return e.claim;
    const inCause = (e.cause as { claim?: unknown } | undefined)?.claim;
    if (typeof inCause === 'string') return inCause;
  }
  return undefined;
}
