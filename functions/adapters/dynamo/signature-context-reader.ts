import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SignatureContext, SignatureContextReader } from '../../ports/licensing.ts';
import { datasetOfItem } from './catalogue-store.ts';
import { batchGetAll, type Backoff } from './batch-get.ts';
import { partnerKey, toPartner } from './identity-store.ts';
import { datasetKey } from './keys.ts';
import { offerKey, offerOfItem } from './licence-store.ts';
import { CURRENT, policyOfItem } from './policy-store.ts';

const keyOf = (item: Record<string, unknown>) => `${String(item.pk)}\u0000${String(item.sk)}`;

/** The offer, licensee, dataset and policy of a signature in one BatchGetItem, strongly consistent like the reads it replaces. */
export class DynamoSignatureContextReader implements SignatureContextReader {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** Waits between rounds of unprocessed keys; a test passes one that does not wait. */
    private readonly backoff?: Backoff,
  ) {}

  async read(names: { readonly offerId: string; readonly licenseeId: string; readonly datasetId: string }): Promise<SignatureContext> {
    const wanted = { offer: offerKey(names.offerId), licensee: partnerKey(names.licenseeId), dataset: datasetKey(names.datasetId), policy: CURRENT };
    const items = await batchGetAll(this.db, this.tableName, Object.values(wanted), { consistent: true, ...(this.backoff ? { backoff: this.backoff } : {}) });
    const found = new Map(items.map((item) => [keyOf(item), item]));
    const item = (key: { pk: string; sk: string }) => found.get(keyOf(key));
    const offer = item(wanted.offer);
    const licensee = item(wanted.licensee);
    const dataset = item(wanted.dataset);
    return {
      offer: offer ? offerOfItem(offer) : undefined,
      licensee: licensee ? toPartner(licensee) : undefined,
      dataset: dataset ? datasetOfItem(dataset) : undefined,
      policy: policyOfItem(item(wanted.policy)),
    };
  }
}

