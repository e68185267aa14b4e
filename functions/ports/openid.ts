/** The secrets one authorisation request binds: checked when the provider sends the browser back. */
export interface AuthorisationSecrets {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  /** The acr values asked for this sign-in (`acr_values`), which the ID token's `acr` must then meet. */
  readonly acrValues?: readonly string[];
}

/** Who the provider says signed in, from a verified ID token (and the userinfo answer). */
export interface VerifiedIdentity {
  readonly issuer: string;
  readonly subject: string;
  readonly email?: string;
  readonly givenName?: string;
  readonly usualName?: string;
  /** ProConnect's establishment number, when the provider knows it. */
  readonly siret?: string;
  readonly acr?: string;
  readonly idToken: string;
}

/** An OpenID Connect provider (ProConnect in the cloud, a local `oidc-provider` on a laptop). */
export interface OpenIdProvider {
  /** The provider's authorisation URL for a new sign-in, with fresh state, nonce and PKCE verifier. */
  begin(redirectUri: string, acrValues?: readonly string[]): Promise<{ url: string; secrets: AuthorisationSecrets }>;
  /**
   * Redeems the code of `callbackUrl` (PKCE), checks state, nonce, the ID token's signature against the
   * discovered JWKS, iss, aud, exp and the acr when one was asked (or is required); `SignInRefusedError` otherwise.
   */
  finish(callbackUrl: URL, secrets: AuthorisationSecrets): Promise<VerifiedIdentity>;
  /** Where to send the browser to end the provider's session too (RP-initiated logout). */
  endSessionUrl(idToken: string, postLogoutRedirectUri: string): Promise<string | undefined>;
}
