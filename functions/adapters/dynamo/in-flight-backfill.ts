import { GetCommand, PutCommand, ScanCommand, UpdateCommand, type DynamoDBDocumentClient, type NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import { uploadDeadline, validationDeadline } from '../../domain/catalogue/in-flight.ts';
import { dependencyFailure } from './errors.ts';
import { inFlightIndex } from './keys.ts';

/** Written once the table's versions in flight all have a sweep deadline, so later starts skip the pass. */
const MARKER = { pk: 'MIGRATION', sk: 'version-sweep-deadlines' };

/**
 * Gives the versions left `uploading` or `validating` before the sweeper existed a deadline, once per
 * table, so the schedule re-drives or ends them like any other: the full upload or ingest window from
 * now, since a live upload or ingest may still be running. Each write is conditional on the status
 * read and on no deadline yet, so it never overrides the versions service; safe to run again.
 */
export async function backfillVersionSweepDeadlines(db: DynamoDBDocumentClient, tableName: string, now: () => Date = () => new Date()): Promise<{ readonly versions: number; readonly skipped: boolean }> {
  try {
    if ((await db.send(new GetCommand({ TableName: tableName, Key: MARKER, ConsistentRead: true }))).Item) return { versions: 0, skipped: true };
    let versions = 0;
    let start: Record<string, NativeAttributeValue> | undefined;
    do {
      // A one-off pass over a table without an index of these: a scan, filtered server-side.
      const page = await db.send(
        new ScanCommand({
          TableName: tableName,
          FilterExpression: 'begins_with(sk, :v) AND (#status = :uploading OR #status = :validating) AND attribute_not_exists(sweepAt)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':v': 'VERSION#', ':uploading': 'uploading', ':validating': 'validating' },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) if (await giveDeadline(db, tableName, item, now())) versions += 1;
      start = page.LastEvaluatedKey;
    } while (start);
    await db.send(new PutCommand({ TableName: tableName, Item: { ...MARKER, doneAt: now().toISOString(), versions } }));
    return { versions, skipped: false };
  } catch (error) {
    throw dependencyFailure('version sweep deadline backfill', error);
  }
}

async function giveDeadline(db: DynamoDBDocumentClient, tableName: string, item: Record<string, NativeAttributeValue>, now: Date): Promise<boolean> {
  const sweepAt = item.status === 'uploading' ? uploadDeadline(now) : validationDeadline(now);
  const index = inFlightIndex(String(item.datasetId), Number(item.version), sweepAt);
  try {
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression: 'SET sweepAt = :at, gsi2pk = :p, gsi2sk = :sk',
        ConditionExpression: '#status = :seen AND attribute_not_exists(sweepAt)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':at': sweepAt, ':p': index.gsi2pk, ':sk': index.gsi2sk, ':seen': item.status },
      }),
    );
    return true;
  } catch (error) {
    // The version moved on (or got its deadline) since the scan: nothing left to do for it.
    if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}
