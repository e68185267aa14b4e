import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * Stands in for the SDK's default credential chain inside Lambda bundles: Lambda always hands the
 * execution role's credentials over in the environment, so SSO, STS web-identity and ini-file
 * providers (≈75 KB minified) would never run there.
 */
export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]) => fromEnv(init);
