import { DependencyError } from '../../domain/errors.ts';

/** Per-item reasons of a cancelled transaction, aligned with its items (`None` where the item was fine). */
export function cancellationCodes(error: unknown): string[] | undefined {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
  const reasons = (error as Error & { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.map((r) => r.Code ?? 'None');
}

/** Wraps an unexpected SDK failure so the domain sees a typed error with the cause kept. */
export function dependencyFailure(operation: string, error: unknown): DependencyError {
  return new DependencyError(`DynamoDB ${operation} failed`, { cause: error });
}

/** Runs one SDK call; any failure becomes a typed dependency error naming the operation. */
export async function dynamoCall<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw dependencyFailure(operation, error);
  }
}
