import { parsePublicUrl } from '../http/public-url.ts';
import { requireEnv } from './env.ts';

/**
 * The base of every URI, feed and console link, read once at load from configuration: never from the
 * request's Host header, which any client chooses and which would then be cached in public answers.
 */
export const publicBaseUrl: string = parsePublicUrl(
  requireEnv('COMPTOIR_PUBLIC_URL', 'the CDK stack (the console domain) or the local runtime (its own address)'),
)!;
