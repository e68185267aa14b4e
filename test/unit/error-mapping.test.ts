import { describe, expect, it } from 'vitest';
import { errorResponse } from '../../functions/http/error-handler.ts';
import {
  BusinessRuleError,
  DependencyError,
  ForbiddenError,
  InvalidRequestError,
  KeyNotFoundError,
  StateConflictError,
  UnauthenticatedError,
} from '../../functions/domain/errors.ts';
import { PartnerAlreadyExistsError } from '../../functions/domain/identity/errors.ts';
import { IdempotencyInProgressError } from '../../functions/domain/ledger/movement.ts';

const bodyOf = (r: ReturnType<typeof errorResponse>) => JSON.parse(String(r.body));

describe('error mapping', () => {
  it.each([
    [new InvalidRequestError('bad', { details: [{ path: ['x'] }] }), 400, 'invalid_request'],
    [new UnauthenticatedError(), 401, 'unauthenticated'],
    [new ForbiddenError('officers only', 'officer_only'), 403, 'officer_only'],
    [new KeyNotFoundError('key_1'), 404, 'not_found'],
    [new PartnerAlreadyExistsError('812345676'), 409, 'partner_exists'],
    [new StateConflictError('moved'), 409, 'state_conflict'],
    [new BusinessRuleError('no', 'last_officer_key'), 422, 'last_officer_key'],
  ])('shows %s as %i with its message', (error, status, code) => {
    const r = errorResponse(error, 'corr-1');
    expect(r.statusCode).toBe(status);
    expect(bodyOf(r)).toEqual({
      error: { code, message: error.message, ...(error.details ? { details: error.details } : {}) },
    });
  });

  it.each([
    [new Error('secret table name t-123 in message'), 500, 'internal_error'],
    [new DependencyError('DynamoDB GetItem failed', { cause: new Error('socket hang up') }), 503, 'unavailable'],
    ['a thrown string', 500, 'internal_error'],
  ])('hides %s behind %i with only a correlation id', (error, status, code) => {
    const r = errorResponse(error, 'corr-2');
    expect(r.statusCode).toBe(status);
    expect(bodyOf(r)).toEqual({ error: { code, message: 'The request could not be completed', correlationId: 'corr-2' } });
  });

  it('answers the retry-after a domain error carries as a Retry-After header in whole seconds', () => {
    const inProgress = errorResponse(new IdempotencyInProgressError(), 'corr-3');
    expect([inProgress.statusCode, bodyOf(inProgress).error.code, inProgress.headers?.['retry-after']]).toEqual([409, 'idempotency_in_progress', '1']);
    expect(errorResponse(new StateConflictError('soon', 'busy', { retryAfterSeconds: 2.5 }), 'corr-4').headers?.['retry-after']).toBe('3');
    expect(errorResponse(new StateConflictError('moved'), 'corr-5').headers).not.toHaveProperty('retry-after');
  });

  it('tells when to come back on every 503 and on no 500', () => {
    const down = errorResponse(new DependencyError('DynamoDB GetItem failed', { cause: new Error('socket timeout') }), 'corr-6');
    expect([down.statusCode, down.headers?.['retry-after']]).toEqual([503, '5']);
    expect(errorResponse(new Error('bug'), 'corr-7').headers).not.toHaveProperty('retry-after');
  });

  it('keeps the cause on domain errors', () => {
    const cause = new Error('ConditionalCheckFailed');
    const error = new PartnerAlreadyExistsError('812345676', { cause });
    expect(error.cause).toBe(cause);
    expect(error.name).toBe('PartnerAlreadyExistsError');
    expect(error).toBeInstanceOf(StateConflictError);
  });
});
