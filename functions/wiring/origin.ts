import { requireEnv } from './env.ts';

/** The secret CloudFront sends the API with each request: a request without it bypassed the edge (WAF, headers). */
export const originSecret: string = requireEnv('COMPTOIR_ORIGIN_SECRET', 'the CDK stack (a Secrets Manager secret the distribution also sends) or the local runtime');
