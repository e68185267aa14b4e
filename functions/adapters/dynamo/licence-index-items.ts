import type { LicenceState } from '../../../schemas/index.ts';
import type { PendingRequestCaps } from '../../domain/licences/request-caps.ts';

/** What the helpers need of a licence: its id, offer and parties. */
interface LicenceRef {
  readonly id: string;
  readonly offerId: string;
  readonly licensor: { readonly id: string };
  readonly licensee: { readonly id: string };
}

/** A party's licences in one state: one pointer per licence, moved in the transaction of each transition. */
export const partyStatePartition = (partnerId: string, state: LicenceState) => `PARTY#${partnerId}#LICENCES#${state}`;

const pendingPartition = (partnerId: string) => `PARTY#${partnerId}#PENDING`;
/** The counter of a partner's pending requests on one offer. */
export const pendingOfferKey = (partnerId: string, offerId: string) => ({ pk: pendingPartition(partnerId), sk: `OFFER#${offerId}` });
/** The counter of all a partner's pending requests. */
export const pendingTotalKey = (partnerId: string) => ({ pk: pendingPartition(partnerId), sk: 'TOTAL' });
const COUNT = { '#n': 'pending' };

const parties = (l: LicenceRef) => [l.licensor.id, l.licensee.id];

/** Puts the licence in both parties' lists of `state`. */
export function statePointerPuts(tableName: string, licence: LicenceRef, state: LicenceState): Record<string, unknown>[] {
  return parties(licence).map((partnerId) => ({ Put: { TableName: tableName, Item: { pk: partyStatePartition(partnerId, state), sk: licence.id, licenceId: licence.id } } }));
}

/** Takes the licence out of both parties' lists of `state` (absent pointers are no error). */
export function statePointerDeletes(tableName: string, licence: LicenceRef, state: LicenceState): Record<string, unknown>[] {
  return parties(licence).map((partnerId) => ({ Delete: { TableName: tableName, Key: { pk: partyStatePartition(partnerId, state), sk: licence.id } } }));
}

/** Takes one of the licensee's pending slots: the offer's counter, then the total, each only below its cap. */
export function takeSlotItems(tableName: string, licence: LicenceRef, caps: PendingRequestCaps): Record<string, unknown>[] {
  return [
    [pendingOfferKey(licence.licensee.id, licence.offerId), caps.perOffer],
    [pendingTotalKey(licence.licensee.id), caps.total],
  ].map(([Key, cap]) => ({
    Update: {
      TableName: tableName,
      Key,
      UpdateExpression: 'ADD #n :one',
      ConditionExpression: 'attribute_not_exists(#n) OR #n < :cap',
      ExpressionAttributeNames: COUNT,
      ExpressionAttributeValues: { ':one': 1, ':cap': cap },
    },
  }));
}

/** Gives the slot back, as the licence leaves the pending states. */
export function releaseSlotItems(tableName: string, licence: LicenceRef): Record<string, unknown>[] {
  return [pendingOfferKey(licence.licensee.id, licence.offerId), pendingTotalKey(licence.licensee.id)].map((Key) => ({
    Update: { TableName: tableName, Key, UpdateExpression: 'ADD #n :minus', ExpressionAttributeNames: COUNT, ExpressionAttributeValues: { ':minus': -1 } },
  }));
}
