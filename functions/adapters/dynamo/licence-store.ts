import { GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LicenceState } from '../../../schemas/index.ts';
import type { PendingAuditEvent } from '../../domain/audit/audit-trail.ts';
import { InvalidRequestError, StateConflictError } from '../../domain/errors.ts';
import { TooManyPendingRequestsError } from '../../domain/licences/errors.ts';
import { PENDING_STATES, type PendingRequestCaps } from '../../domain/licences/request-caps.ts';
import type { Page, PageRequest } from '../../domain/model.ts';
import type { DutyDueMove, LicenceRead, LicenceStore, LicenceTransition, LicenseeDirectory, StoredLicence, StoredOffer } from '../../ports/licensing.ts';
import { cancellationCodes, dependencyFailure } from './errors.ts';
import { outboxPut } from './outbox.ts';
import { DEFAULT_LIMIT, pageOf, pointedPage, startKeyOf } from './pagination.ts';
import { dutyDueIndex, dutyKey, licenceKey } from './keys.ts';
import { escrowCloseItem, escrowHoldItem, idempotencyItem } from './ledger-items.ts';
import { layoutMovements, ledgerFailure } from './ledger-store.ts';
import { partyStatePartition, releaseSlotItems, statePointerDeletes, statePointerPuts, takeSlotItems } from './licence-index-items.ts';
import { transactWrite } from './transact.ts';

export const offerKey = (id: string) => ({ pk: `OFFER#${id}`, sk: 'OFFER' });
const partyPartition = (partnerId: string) => `PARTY#${partnerId}#LICENCES`;
const datasetOffers = (datasetId: string) => `DATASET#${datasetId}#OFFERS`;
const ALL_OFFERS = 'OFFERS';
export const ALL_LICENCES = 'LICENCES';
const statePartition = (state: LicenceState) => `LICENCESTATE#${state}`;
const INTERNAL = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'overdueCount', 'pendingSlot', 'revision']);

function strip<T>(item: Record<string, unknown>): T {
  return Object.fromEntries(Object.entries(item).filter(([k]) => !INTERNAL.has(k))) as T;
}

/**
 * The items of a new licence: the licence itself, one pointer per party, and one per party in the list of
 * its state. `pendingSlot` marks a licence that took a pending slot, so that only it gives one back.
 */
export function licenceItems(tableName: string, licence: StoredLicence, marks: { readonly pendingSlot?: boolean } = {}): Record<string, unknown>[] {
  return [
    {
      Put: {
        TableName: tableName,
        Item: { ...licenceKey(licence.id), ...licence, ...(marks.pendingSlot ? { pendingSlot: true } : {}), gsi1pk: ALL_LICENCES, gsi1sk: licence.id, gsi2pk: statePartition(licence.state), gsi2sk: licence.id },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    ...[licence.licensor.id, licence.licensee.id].map((partnerId) => ({ Put: { TableName: tableName, Item: { pk: partyPartition(partnerId), sk: licence.id, licenceId: licence.id } } })),
    ...statePointerPuts(tableName, licence, licence.state),
  ];
}

/** Moves an open duty's due date and its place in the due-date index, conditional on the date read. */
function dutyMoveItem(tableName: string, licenceId: string, m: DutyDueMove) {
  const index = dutyDueIndex({ licenceId, dutyId: m.dutyId, dueAt: m.dueAt, status: 'open' }) as { gsi2pk: string; gsi2sk: string };
  return {
    Update: {
      TableName: tableName,
      Key: dutyKey(licenceId, m.dutyId),
      UpdateExpression: 'SET dueAt = :due, gsi2pk = :gsi2pk, gsi2sk = :gsi2sk',
      ConditionExpression: '#status = :open AND dueAt = :from',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':due': m.dueAt, ':from': m.from, ':open': 'open', ':gsi2pk': index.gsi2pk, ':gsi2sk': index.gsi2sk },
    },
  };
}

/** Offers, licences and each party's list of licences. */
export class DynamoLicenceStore implements LicenceStore, LicenseeDirectory {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async createOffer(offer: StoredOffer, event: PendingAuditEvent): Promise<void> {
    await this.transact('createOffer', [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...offerKey(offer.id), ...offer, gsi1pk: datasetOffers(offer.datasetId), gsi1sk: offer.id, gsi2pk: ALL_OFFERS, gsi2sk: offer.id },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      outboxPut(this.tableName, event),
    ]);
  }

  async getOffer(id: string): Promise<StoredOffer | undefined> {
    const out = await this.run(() => this.db.send(new GetCommand({ TableName: this.tableName, Key: offerKey(id), ConsistentRead: true })));
    return out.Item ? strip<StoredOffer>(out.Item) : undefined;
  }

  async listOffers(datasetId: string | undefined, page: PageRequest): Promise<Page<StoredOffer>> {
    const [index, partition] = datasetId ? ['gsi1', datasetOffers(datasetId)] : ['gsi2', ALL_OFFERS];
    const out = await this.queryIndex(index as 'gsi1' | 'gsi2', partition, page);
    return pageOf((out.Items ?? []).map((i) => strip<StoredOffer>(i)), out.LastEvaluatedKey);
  }

  async withdrawOffer(id: string, event: PendingAuditEvent): Promise<void> {
    try {
      await this.transact('withdrawOffer', [
        {
          Update: {
            TableName: this.tableName,
            Key: offerKey(id),
            UpdateExpression: 'SET #state = :withdrawn',
            ConditionExpression: '#state = :open',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':withdrawn': 'withdrawn', ':open': 'open' },
          },
        },
        outboxPut(this.tableName, event),
      ]);
    } catch (error) {
      if (cancellationCodes((error as Error).cause)?.[0] === 'ConditionalCheckFailed') throw new StateConflictError(`offer ${id} is already withdrawn`, 'offer_withdrawn', { cause: error });
      throw error;
    }
  }

  async createLicence(licence: StoredLicence, event: PendingAuditEvent, caps?: PendingRequestCaps): Promise<void> {
    const slot = caps && PENDING_STATES.includes(licence.state) ? takeSlotItems(this.tableName, licence, caps) : [];
    const head = licenceItems(this.tableName, licence, { pendingSlot: slot.length > 0 });
    try {
      await this.transact('createLicence', [...head, ...slot, outboxPut(this.tableName, event)]);
    } catch (error) {
      // The per-offer counter comes first, so its cap is the one named when both are reached.
      const codes = cancellationCodes((error as Error).cause);
      const refused = slot.findIndex((_, i) => codes?.[head.length + i] === 'ConditionalCheckFailed');
      if (caps && refused >= 0) throw new TooManyPendingRequestsError(refused === 0 ? 'offer' : 'total', refused === 0 ? caps.perOffer : caps.total, licence.offerId, { cause: error });
      throw error;
    }
  }

  async getLicence(id: string): Promise<StoredLicence | undefined> {
    return (await this.readLicence(id))?.licence;
  }

  async readLicence(id: string): Promise<LicenceRead | undefined> {
    const out = await this.run(() => this.db.send(new GetCommand({ TableName: this.tableName, Key: licenceKey(id), ConsistentRead: true })));
    return out.Item ? { licence: strip<StoredLicence>(out.Item), revision: Number(out.Item.revision ?? 0), pendingSlot: out.Item.pendingSlot === true } : undefined;
  }

  async transition(id: string, t: LicenceTransition, event: PendingAuditEvent, seen?: LicenceRead): Promise<StoredLicence> {
    // The exact state read decides which list pointers move and whether a pending slot is given back.
    const current = seen ? undefined : await this.run(() => this.db.send(new GetCommand({ TableName: this.tableName, Key: licenceKey(id), ConsistentRead: true })));
    const was = (seen ? { ...seen.licence, ...(seen.revision ? { revision: seen.revision } : {}), ...(seen.pendingSlot ? { pendingSlot: true } : {}) } : current?.Item) as (StoredLicence & { pendingSlot?: boolean; revision?: number }) | undefined;
    if (!was || !t.from.includes(was.state)) throw new StateConflictError(`licence ${id} is not ${t.from.join(' or ')}`, 'licence_state_changed');
    const releases = was.pendingSlot === true && !PENDING_STATES.includes(t.to);
    const names: Record<string, string> = { '#state': 'state', '#history': 'history' };
    const entry = { state: t.to, at: t.at, by: t.by, ...(t.reason ? { reason: t.reason } : {}) };
    const values: Record<string, unknown> = {
      ':to': t.to,
      ':entry': [entry],
      ':gsi2pk': statePartition(t.to),
      ':was': was.state,
      ':zero': 0,
      ':one': 1,
    };
    // Every state change bumps the revision, which cached reads of the licence are checked against.
    const sets = ['#state = :to', '#history = list_append(#history, :entry)', 'gsi2pk = :gsi2pk', 'revision = if_not_exists(revision, :zero) + :one'];
    Object.entries(t.set ?? {}).forEach(([k, v], i) => {
      names[`#s${i}`] = k;
      values[`:s${i}`] = v;
      sets.push(`#s${i} = :s${i}`);
    });
    // Conditional on the revision read too, so the licence returned is exactly the one read plus this change.
    if (was.revision !== undefined) values[':revision'] = was.revision;
    const unchanged = was.revision === undefined ? 'attribute_not_exists(revision)' : 'revision = :revision';
    const condition = `#state = :was AND ${unchanged}${t.requireNoOverdue ? ' AND (attribute_not_exists(overdueCount) OR overdueCount = :zero)' : ''}`;
    // List pointers and the pending slot move with the state; they sit between the licence and the read-before items.
    const listItems = [...(was.state !== t.to ? [...statePointerDeletes(this.tableName, was, was.state), ...statePointerPuts(this.tableName, was, t.to)] : []), ...(releases ? releaseSlotItems(this.tableName, was) : [])];
    const head = [
      {
        Update: {
          TableName: this.tableName,
          Key: licenceKey(id),
          UpdateExpression: `SET ${sets.join(', ')}${releases ? ' REMOVE pendingSlot' : ''}`,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      },
      ...listItems,
      ...(t.createDuties ?? []).map((d) => ({ Put: { TableName: this.tableName, Item: { ...dutyKey(d.licenceId, d.dutyId), ...d, ...dutyDueIndex(d) }, ConditionExpression: 'attribute_not_exists(pk)' } })),
      ...(t.moveDuties ?? []).map((m) => dutyMoveItem(this.tableName, id, m)),
      ...(t.escrowHold ? [escrowHoldItem(this.tableName, t.escrowHold)] : []),
      ...(t.escrowClose ? [escrowCloseItem(this.tableName, t.escrowClose.licenceId, t.escrowClose.status, t.at)] : []),
    ];
    // Items written as read before (duties absent or at their due date, the escrow still held): a failure there is a concurrent change.
    const readFirst = [...[...(t.createDuties ?? []), ...(t.moveDuties ?? [])].map((_, i) => 1 + listItems.length + i), ...(t.escrowClose ? [head.length - 1] : [])];
    const { items: moves, debits } = layoutMovements(this.tableName, t.movements ?? [], head.length);
    const idempotencyIndex = t.idempotency ? head.length + moves.length : undefined;
    const items = [...head, ...moves, ...(t.idempotency ? [idempotencyItem(this.tableName, t.idempotency)] : []), outboxPut(this.tableName, event)];
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items as never }));
    } catch (error) {
      const codes = cancellationCodes(error);
      // Item by item: the licence's state first, then what was read before the write, then balances and the idempotency record.
      if (codes?.[0] === 'ConditionalCheckFailed') throw new StateConflictError(`licence ${id} is not ${t.from.join(' or ')}`, 'licence_state_changed', { cause: error });
      if (readFirst.some((i) => codes?.[i] === 'ConditionalCheckFailed')) throw new StateConflictError(`licence ${id}: its escrow or duties changed meanwhile; retry`, 'concurrent_change', { cause: error });
      throw ledgerFailure(error, { debits, ...(idempotencyIndex !== undefined ? { idempotencyIndex } : {}) }) ?? dependencyFailure('TransactWriteItems', error);
    }
    return strip<StoredLicence>({ ...was, ...t.set, state: t.to, history: [...was.history, entry] });
  }

  async listByState(state: LicenceState | undefined, page: PageRequest): Promise<Page<StoredLicence>> {
    const out = state ? await this.queryIndex('gsi2', statePartition(state), page) : await this.queryIndex('gsi1', ALL_LICENCES, page);
    return pageOf((out.Items ?? []).map((i) => strip<StoredLicence>(i)), out.LastEvaluatedKey);
  }

  listByParty(partnerId: string, page: PageRequest, state?: LicenceState): Promise<Page<StoredLicence>> {
    const partition = state ? partyStatePartition(partnerId, state) : partyPartition(partnerId);
    return pointedPage(this.db, this.tableName, partition, page, { idAttribute: 'licenceId', keyOf: licenceKey, read: (i: Record<string, unknown>) => strip<StoredLicence>(i) });
  }

  async isLicensee(partnerId: string, datasetId: string): Promise<boolean> {
    let cursor: string | undefined;
    do {
      const page = await this.listByParty(partnerId, { limit: 100, ...(cursor ? { cursor } : {}) });
      if (page.items.some((l) => l.datasetId === datasetId && l.licensee.id === partnerId && !['pending_approval', 'rejected', 'declined'].includes(l.state))) return true;
      cursor = page.cursor;
    } while (cursor);
    return false;
  }

  private async queryIndex(index: 'gsi1' | 'gsi2', partition: string, page: PageRequest) {
    const pk = `${index}pk`;
    const start = startKeyOf(page, ['pk', 'sk', pk, `${index}sk`]);
    if (start && start[pk] !== partition) throw new InvalidRequestError('cursor belongs to another list');
    return this.run(() =>
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: index,
          KeyConditionExpression: `${pk} = :p`,
          ExpressionAttributeValues: { ':p': partition },
          Limit: page.limit ?? DEFAULT_LIMIT,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      ),
    );
  }

  private transact(operation: string, items: Record<string, unknown>[]): Promise<void> {
    return transactWrite(this.db, operation, items);
  }

  private async run<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof InvalidRequestError) throw error;
      throw dependencyFailure('licences', error);
    }
  }
}


/** A licence as read from its item, without the table's own attributes. */
export const licenceOfItem = (item: Record<string, unknown>): StoredLicence => strip<StoredLicence>(item);
/** An offer from its item, without the table's attributes. */
export const offerOfItem = (item: Record<string, unknown>): StoredOffer => strip<StoredOffer>(item);
