import type { TestTable } from './emulators.ts';

/**
 * Cancels the transactions `cancel` picks the way real DynamoDB does when another writer holds one of their items
 * (DynamoDB Local never does): a fault only a mocked answer can produce. Returns how many it cancelled, and its removal.
 */
export function cancelTransactions(table: TestTable, cancel: () => boolean): { cancelled: () => number; remove: () => void } {
  let cancelled = 0;
  const name = `transaction-conflicts-${Math.random()}`;
  table.db.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'TransactWriteItemsCommand' && cancel()) {
        cancelled += 1;
        const items = ((args.input as { TransactItems?: unknown[] }).TransactItems ?? []).length;
        throw Object.assign(new Error('Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict]'), {
          name: 'TransactionCanceledException',
          CancellationReasons: Array.from({ length: items }, (_, i) => ({ Code: i === 0 ? 'TransactionConflict' : 'None' })),
        });
      }
      return next(args);
    },
    { step: 'initialize', name },
  );
  return { cancelled: () => cancelled, remove: () => table.db.middlewareStack.remove(name) };
}

/** Cancels the next `count` transactions. */
export function cancelNextTransactions(table: TestTable, count: number): { cancelled: () => number; remove: () => void } {
  let left = count;
  return cancelTransactions(table, () => left-- > 0);
}
