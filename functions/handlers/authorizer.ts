import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import { contextOf, type AuthorizerContext } from '../http/auth-context.ts';
import { logger } from '../http/logger.ts';
import { cameThroughEdge } from '../http/origin.ts';
import { identityService } from '../wiring/identity.ts';
import { originSecret } from '../wiring/origin.ts';

/**
 * HTTP API Lambda authorizer (simple responses, cache off). It lets every request through and
 * passes the principal it found, so route handlers answer unknown keys with the API's own 401 body
 * (API Gateway's deny would be a bare 403).
 */
export async function handler(event: APIGatewayRequestAuthorizerEventV2): Promise<APIGatewaySimpleAuthorizerWithContextResult<AuthorizerContext>> {
  // A request that bypassed the edge costs no key lookup: its route would refuse it anyway.
  if (!cameThroughEdge(event.headers, originSecret)) return { isAuthorized: false, context: {} };
  const authorization = event.headers?.authorization ?? event.headers?.Authorization;
  try {
    const principal = await identityService.authenticate(authorization);
    return { isAuthorized: true, context: principal ? contextOf(principal) : {} };
  } catch (error) {
    // Fails closed: routes answer 503 instead of trusting, or wrongly rejecting, an unchecked key.
    logger.error('authorizer lookup failed', { error: error as Error });
    return { isAuthorized: true, context: { unavailable: 'true' } };
  }
}
