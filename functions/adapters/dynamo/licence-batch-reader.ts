import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LicenceBatchReader } from '../../ports/feeds.ts';
import type { StoredLicence } from '../../ports/licensing.ts';
import { dynamoCall } from './errors.ts';
import { licenceKey } from './keys.ts';
import { licenceOfItem } from './licence-store.ts';

/** BatchGetItem takes at most 100 keys. */
const MAX_KEYS = 100;

/** Licences read a hundred at a time, as strongly consistent as `getLicence`, so a revocation is seen at once. */
export class DynamoLicenceBatchReader implements LicenceBatchReader {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getLicences(ids: readonly string[]): Promise<Map<string, StoredLicence>> {
    const unique = [...new Set(ids)];
    const found = new Map<string, StoredLicence>();
    for (let i = 0; i < unique.length; i += MAX_KEYS) {
      let keys: Record<string, unknown>[] | undefined = unique.slice(i, i + MAX_KEYS).map(licenceKey);
      // BatchGetItem may leave keys unprocessed under load: ask again for those only.
      while (keys?.length) {
        const out = await dynamoCall('BatchGetItem', () => this.db.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys!, ConsistentRead: true } } })));
        for (const item of out.Responses?.[this.tableName] ?? []) {
          const licence = licenceOfItem(item);
          found.set(licence.id, licence);
        }
        keys = out.UnprocessedKeys?.[this.tableName]?.Keys;
      }
    }
    return found;
  }
}
