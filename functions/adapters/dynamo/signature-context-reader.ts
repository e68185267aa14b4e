import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SignatureContext, SignatureContextReader } from '../../ports/licensing.ts';
import { datasetOfItem } from './catalogue-store.ts';
import { dependencyFailure, dynamoCall } from './errors.ts';
import { partnerKey, toPartner } from './identity-store.ts';
import { datasetKey } from './keys.ts';
import { offerKey, offerOfItem } from './licence-store.ts';
import { CURRENT, policyOfItem } from './policy-store.ts';

/** How many rounds of unprocessed keys are asked again before giving up (BatchGetItem under throttling). */
const MAX_ROUNDS = 8;

const keyOf = (item: Record<string, unknown>) => `${String(item.pk)}\u0000${String(item.sk)}`;

/** The offer, licensee, dataset and policy of a signature in one BatchGetItem, strongly consistent like the reads it replaces. */
export class DynamoSignatureContextReader implements SignatureContextReader {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** Waits between rounds of unprocessed keys; a test passes one that does not wait. */
    private readonly backoff: (round: number) => Promise<void> = (round) => new Promise((resolve) => setTimeout(resolve, 10 * 2 ** round)),
  ) {}

  async read(names: { readonly offerId: string; readonly licenseeId: string; readonly datasetId: string }): Promise<SignatureContext> {
    const wanted = { offer: offerKey(names.offerId), licensee: partnerKey(names.licenseeId), dataset: datasetKey(names.datasetId), policy: CURRENT };
    const found = new Map<string, Record<string, unknown>>();
    let keys: Record<string, unknown>[] | undefined = Object.values(wanted);
    for (let round = 0; keys?.length; round++) {
      if (round === MAX_ROUNDS) throw dependencyFailure('BatchGetItem', new Error(`${keys.length} keys still unprocessed after ${MAX_ROUNDS} rounds`));
      if (round > 0) await this.backoff(round);
      const out = await dynamoCall('BatchGetItem', () => this.db.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys!, ConsistentRead: true } } })));
      for (const item of out.Responses?.[this.tableName] ?? []) found.set(keyOf(item), item);
      // Under load BatchGetItem may leave keys unprocessed: only those are asked again.
      keys = out.UnprocessedKeys?.[this.tableName]?.Keys;
    }
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

