import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient, type NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import type { LicenceState } from '../../../schemas/index.ts';
import { cancellationCodes, dependencyFailure } from './errors.ts';
import { licenceKey } from './keys.ts';
import { statePointerPuts } from './licence-index-items.ts';
import { ALL_LICENCES } from './licence-store.ts';

/** Written once the table's licences all have their state pointers, so later starts skip the pass. */
const MARKER = { pk: 'MIGRATION', sk: 'licence-state-pointers' };

interface LicenceHead {
  readonly id: string;
  readonly offerId: string;
  readonly state: LicenceState;
  readonly licensor: { readonly id: string };
  readonly licensee: { readonly id: string };
}

/**
 * Gives the licences stored before the per-party state lists existed their pointers, once per table.
 * Each pair is written with a check that the licence is still in the state read, so a transition
 * running meanwhile cannot be followed by a stale pointer. Safe to run again: the puts are idempotent.
 */
export async function backfillLicenceStatePointers(db: DynamoDBDocumentClient, tableName: string, now: () => Date = () => new Date()): Promise<{ readonly licences: number; readonly skipped: boolean }> {
  try {
    if ((await db.send(new GetCommand({ TableName: tableName, Key: MARKER, ConsistentRead: true }))).Item) return { licences: 0, skipped: true };
    let licences = 0;
    let start: Record<string, NativeAttributeValue> | undefined;
    do {
      const page = await db.send(
        new QueryCommand({ TableName: tableName, IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :p', ExpressionAttributeValues: { ':p': ALL_LICENCES }, Limit: 100, ...(start ? { ExclusiveStartKey: start } : {}) }),
      );
      for (const item of page.Items ?? []) if (await pointAt(db, tableName, item as LicenceHead)) licences += 1;
      start = page.LastEvaluatedKey;
    } while (start);
    await db.send(new PutCommand({ TableName: tableName, Item: { ...MARKER, doneAt: now().toISOString(), licences } }));
    return { licences, skipped: false };
  } catch (error) {
    throw dependencyFailure('licence state backfill', error);
  }
}

/** Puts the licence's pointers for its current state; re-reads and tries again when it moved meanwhile (false: it is gone). */
async function pointAt(db: DynamoDBDocumentClient, tableName: string, read: LicenceHead): Promise<boolean> {
  let licence: LicenceHead | undefined = read;
  for (let attempt = 0; licence && attempt < 5; attempt++) {
    try {
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            { ConditionCheck: { TableName: tableName, Key: licenceKey(licence.id), ConditionExpression: '#state = :s', ExpressionAttributeNames: { '#state': 'state' }, ExpressionAttributeValues: { ':s': licence.state } } },
            ...(statePointerPuts(tableName, licence, licence.state) as never[]),
          ],
        }),
      );
      return true;
    } catch (error) {
      const codes = cancellationCodes(error);
      if (!codes?.some((c) => c === 'ConditionalCheckFailed' || c === 'TransactionConflict')) throw error;
      licence = (await db.send(new GetCommand({ TableName: tableName, Key: licenceKey(licence.id), ConsistentRead: true }))).Item as LicenceHead | undefined;
    }
  }
  // Not marked done while a licence lacks its pointers: the next run tries again.
  if (licence) throw new Error(`licence ${licence.id} kept changing state during the backfill`);
  return false;
}
