import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type {
  APIGatewayProxyEventV2WithLambdaAuthorizer,
  APIGatewayRequestAuthorizerEventV2,
  Context,
} from 'aws-lambda';
import { ORIGIN_VERIFY_HEADER } from '../../functions/http/origin.ts';
import type { MatchedRoute } from './router.ts';

const TEXT_TYPES = /^(application\/(json|.*\+json|x-www-form-urlencoded|xml)|text\/)/i;

/** Request headers as API Gateway v2 passes them: lower-case names, repeated values joined by commas. */
function headersOf(req: IncomingMessage): Record<string, string> {
  // API Gateway adds the forwarding headers; locally the connection is plain HTTP.
  const headers: Record<string, string> = { 'x-forwarded-proto': 'http', 'x-forwarded-for': req.socket.remoteAddress ?? '127.0.0.1' };
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name === 'cookie') continue;
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return headers;
}

function queryOf(search: URLSearchParams): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const key of new Set(search.keys())) out[key] = search.getAll(key).join(',');
  return Object.keys(out).length ? out : undefined;
}

/** The payload-2.0 event API Gateway would send the route's function for this request, through the edge. */
export function toHttpEvent(
  req: IncomingMessage,
  url: URL,
  body: Buffer,
  matched: MatchedRoute,
  originSecret: string,
): APIGatewayProxyEventV2WithLambdaAuthorizer<Record<string, unknown>> {
  const now = new Date();
  // Set over whatever the client sent, as CloudFront's origin custom header is.
  const headers: Record<string, string> = { ...headersOf(req), [ORIGIN_VERIFY_HEADER]: originSecret };
  const isText = body.length === 0 || TEXT_TYPES.test(headers['content-type'] ?? 'application/json');
  const cookies = req.headers.cookie?.split(';').map((c) => c.trim()).filter(Boolean);
  const routeKey = `${matched.route.method} ${matched.route.path}`;
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies?.length ? { cookies } : {}),
    headers,
    ...(queryOf(url.searchParams) ? { queryStringParameters: queryOf(url.searchParams) } : {}),
    ...(Object.keys(matched.pathParameters).length ? { pathParameters: matched.pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      authorizer: { lambda: {} },
    },
    ...(body.length ? { body: isText ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: body.length > 0 && !isText,
  };
}

/** The REQUEST authorizer event (payload 2.0) for the same request. */
export function toAuthorizerEvent(event: APIGatewayProxyEventV2WithLambdaAuthorizer<unknown>): APIGatewayRequestAuthorizerEventV2 {
  const { version, routeKey, rawPath, rawQueryString, cookies, headers, queryStringParameters, pathParameters } = event;
  const { authorizer: _none, ...requestContext } = event.requestContext;
  return {
    version,
    type: 'REQUEST',
    routeArn: `arn:aws:execute-api:local:000000000000:local/$default/${routeKey.replace(' ', '')}`,
    identitySource: [],
    routeKey,
    rawPath,
    rawQueryString,
    ...(cookies ? { cookies } : {}),
    headers: headers as Record<string, string>,
    ...(queryStringParameters ? { queryStringParameters: queryStringParameters as Record<string, string> } : {}),
    ...(pathParameters ? { pathParameters: pathParameters as Record<string, string> } : {}),
    requestContext: requestContext as APIGatewayRequestAuthorizerEventV2['requestContext'],
  } as APIGatewayRequestAuthorizerEventV2;
}

/** A Lambda context for an in-process invocation. */
export function lambdaContext(functionName: string, requestId: string, timeoutMs = 29_000): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
