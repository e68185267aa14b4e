import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import type { Principal } from '../domain/model.ts';
import { contextOf, type AuthorizerContext } from '../http/auth-context.ts';
import { logger } from '../http/logger.ts';
import { cameThroughEdge } from '../http/origin.ts';
import { cookieNames, readCookie } from '../http/session-cookie.ts';
import { identityService } from '../wiring/identity.ts';
import { originSecret } from '../wiring/origin.ts';
import { secureCookies, sessionAuthenticator } from '../wiring/sessions.ts';

const SESSION_COOKIE = cookieNames(secureCookies).session;

/**
 * HTTP API Lambda authorizer (simple responses, cache off). It lets every request through and
 * passes the principal it found, so route handlers answer unknown keys with the API's own 401 body
 * (API Gateway's deny would be a bare 403). An API key or a session cookie give the same principal,
 * the session's with its person; a key wins when both come.
 */
export async function handler(event: APIGatewayRequestAuthorizerEventV2): Promise<APIGatewaySimpleAuthorizerWithContextResult<AuthorizerContext>> {
  // A request that bypassed the edge costs no key lookup: its route would refuse it anyway.
  if (!cameThroughEdge(event.headers, originSecret)) return { isAuthorized: false, context: {} };
  const authorization = event.headers?.authorization ?? event.headers?.Authorization;
  try {
    let principal: Principal | undefined;
    if (authorization) principal = await identityService.authenticate(authorization);
    else {
      const check = await sessionAuthenticator.check(readCookie(event.cookies, SESSION_COOKIE), event.requestContext.http.method, event.headers?.['x-csrf-token']);
      if (check && 'refused' in check) return { isAuthorized: true, context: { csrfRefused: 'true' } };
      principal = check?.principal;
    }
    return { isAuthorized: true, context: principal ? contextOf(principal) : {} };
  } catch (error) {
    // Fails closed: routes answer 503 instead of trusting, or wrongly rejecting, an unchecked key.
    logger.error('authorizer lookup failed', { error: error as Error });
    return { isAuthorized: true, context: { unavailable: 'true' } };
  }
}
