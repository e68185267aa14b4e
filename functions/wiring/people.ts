import { OpenIdClientProvider } from '../adapters/oidc/openid-client-provider.ts';
import { readSecretThroughExtension } from '../adapters/secrets/lambda-extension-secret.ts';
import { SignInService } from '../domain/people/sign-in-service.ts';
import { partnerAdminAcr } from './assurance.ts';
import { auditTrail, clock, ids } from './core.ts';
import { ConfigError, optionalEnv } from './env.ts';
import { identityStore } from './identity.ts';
import { publicBaseUrl } from './public-url.ts';
import { peopleStore } from './sessions.ts';
export { secureCookies } from './sessions.ts';

const issuer = optionalEnv('COMPTOIR_OIDC_ISSUER');
const clientId = optionalEnv('COMPTOIR_OIDC_CLIENT_ID');
const secretArn = optionalEnv('COMPTOIR_OIDC_CLIENT_SECRET_ARN');
const plainSecret = optionalEnv('COMPTOIR_OIDC_CLIENT_SECRET');
if (issuer && !clientId) throw new ConfigError('COMPTOIR_OIDC_CLIENT_ID must be set with COMPTOIR_OIDC_ISSUER');
if (issuer && !secretArn && !plainSecret) throw new ConfigError('COMPTOIR_OIDC_CLIENT_SECRET_ARN (cloud) or COMPTOIR_OIDC_CLIENT_SECRET (local) must be set with COMPTOIR_OIDC_ISSUER');
const sessionHours = Number(optionalEnv('COMPTOIR_SESSION_HOURS') ?? 8);
if (!(sessionHours > 0 && sessionHours <= 24)) throw new ConfigError('COMPTOIR_SESSION_HOURS must be between 0 and 24');

/** The OpenID provider of this process, or undefined when sign-in is off (API keys only). */
const provider = issuer
  ? new OpenIdClientProvider({
      issuer,
      clientId: clientId!,
      // Read once, at the first sign-in of this process, never at load.
      clientSecret: async () => plainSecret ?? readSecretThroughExtension(secretArn!),
      scope: optionalEnv('COMPTOIR_OIDC_SCOPE') ?? 'openid email given_name usual_name siret',
      ...(optionalEnv('COMPTOIR_OIDC_ACR_VALUES') ? { acrValues: optionalEnv('COMPTOIR_OIDC_ACR_VALUES')!.split(/\s+/) } : {}),
    })
  : undefined;


export { peopleService } from './people-directory.ts';
export const signInService = new SignInService({ people: peopleStore, identity: identityStore, provider, audit: auditTrail, clock, ids, publicUrl: publicBaseUrl, sessionSeconds: sessionHours * 3600, ...(partnerAdminAcr ? { partnerAdminAcr } : {}) });
