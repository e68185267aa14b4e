import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { DomainError, type ErrorKind } from '../domain/errors.ts';
import { logger } from './logger.ts';
import { jsonResponse } from './responses.ts';

const STATUS_OF: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rule: 422,
  unavailable: 503,
};

/** Seconds a caller waits before retrying after a dependency failed: about one SDK retry budget (functions/adapters/sdk-timeouts.ts). */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/** The HTTP answer to any error: 4xx with the domain message, 5xx with only a correlation id. */
export function errorResponse(error: unknown, correlationId: string): APIGatewayProxyStructuredResultV2 {
  if (error instanceof DomainError && error.kind !== 'unavailable') {
    const status = STATUS_OF[error.kind];
    return jsonResponse(
      status,
      { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } },
      error.retryAfterSeconds !== undefined ? { 'retry-after': String(Math.ceil(error.retryAfterSeconds)) } : {},
    );
  }
  const status = error instanceof DomainError ? STATUS_OF[error.kind] : 500;
  logger.error('request failed', { correlationId, error: error as Error });
  const retryAfter: Record<string, string> = status === 503 ? { 'retry-after': String(Math.ceil((error as DomainError).retryAfterSeconds ?? UNAVAILABLE_RETRY_AFTER_SECONDS)) } : {};
  return jsonResponse(
    status,
    { error: { code: status === 503 ? 'unavailable' : 'internal_error', message: 'The request could not be completed', correlationId } },
    retryAfter,
  );
}

/** Maps every error to the API's error shape; use it first so its onError runs last. */
export function httpErrors(): MiddlewareObj<unknown, APIGatewayProxyStructuredResultV2, Error, Context> {
  return {
    name: 'httpErrors',
    onError: (request) => {
      request.response = errorResponse(request.error, request.context.awsRequestId);
    },
  };
}
