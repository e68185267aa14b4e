import { DomainError, type DomainErrorOptions, StateConflictError } from '../errors.ts';

/** A query that would exceed the engine's memory, thread or time budget; the caller narrows it. */
export class QueryLimitError extends DomainError {
  readonly kind = 'rule';
  readonly code = 'query_too_costly';
}

/** The version has no columnar copy (yet): ingested before queries existed and not backfilled, or an enforced copy not built. */
export class ColumnarCopyMissingError extends StateConflictError {
  constructor(key: string, options?: DomainErrorOptions) {
    super(`this version has no queryable copy (${key.startsWith('derived/') ? 'the copy enforcing this licence could not be made; downloads still serve it' : 'it awaits the columnar backfill'})`, 'not_queryable', options);
  }
}

/** Access under the licence was refused: the reasons name the clauses. */
export class QueryDeniedError extends DomainError {
  readonly kind = 'forbidden';
  readonly code = 'access_denied';
}

/** The enforced variant the query must read is still being built. */
export class VariantPreparingError extends StateConflictError {
  constructor(retryAfterSeconds: number) {
    super('the enforced copy of this version is being prepared; ask again shortly', 'variant_preparing', { retryAfterSeconds });
  }
}
