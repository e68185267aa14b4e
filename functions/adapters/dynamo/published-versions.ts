import { ScanCommand, type DynamoDBDocumentClient, type NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import { dependencyFailure } from './errors.ts';

/**
 * Every published dataset version of the table, page by page: a one-off pass for backfills, over a table
 * that has no index of published versions (a scan, filtered server-side).
 */
export async function* publishedVersions(db: DynamoDBDocumentClient, tableName: string): AsyncGenerator<{ datasetId: string; version: number }> {
  let start: Record<string, NativeAttributeValue> | undefined;
  do {
    let page;
    try {
      page = await db.send(
        new ScanCommand({
          TableName: tableName,
          FilterExpression: 'begins_with(pk, :d) AND begins_with(sk, :v) AND #status = :published',
          ProjectionExpression: 'pk, sk',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':d': 'DATASET#', ':v': 'VERSION#', ':published': 'published' },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
    } catch (error) {
      throw dependencyFailure('scan of published versions', error);
    }
    for (const item of page.Items ?? []) yield { datasetId: String(item.pk).slice('DATASET#'.length), version: Number(String(item.sk).slice('VERSION#'.length)) };
    start = page.LastEvaluatedKey;
  } while (start);
}
