import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LicenceBatchReader } from '../../ports/feeds.ts';
import type { StoredLicence } from '../../ports/licensing.ts';
import { batchGetAll } from './batch-get.ts';
import { licenceKey } from './keys.ts';
import { licenceOfItem } from './licence-store.ts';

/** Licences read a hundred at a time, as strongly consistent as `getLicence`, so a revocation is seen at once. */
export class DynamoLicenceBatchReader implements LicenceBatchReader {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getLicences(ids: readonly string[]): Promise<Map<string, StoredLicence>> {
    const items = await batchGetAll(this.db, this.tableName, [...new Set(ids)].map(licenceKey), { consistent: true });
    return new Map(items.map((item) => licenceOfItem(item)).map((licence) => [licence.id, licence]));
  }
}
