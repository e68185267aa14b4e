import { TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { StateConflictError } from '../../domain/errors.ts';
import { cancellationCodes, dependencyFailure } from './errors.ts';

/** One TransactWriteItems: a transaction conflict becomes a retryable 409, any other failure a dependency error. */
export async function transactWrite(db: DynamoDBDocumentClient, operation: string, items: Record<string, unknown>[]): Promise<void> {
  try {
    await db.send(new TransactWriteCommand({ TransactItems: items as never }));
  } catch (error) {
    if (cancellationCodes(error)?.includes('TransactionConflict')) {
      throw new StateConflictError('a concurrent change touched the same records; retry', 'concurrent_change', { cause: error });
    }
    throw dependencyFailure(operation, error);
  }
}
