import { GetCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Partner } from '../../../schemas/index.ts';
import type { PendingAuditEvent } from '../../domain/audit/audit-trail.ts';
import { KeyAlreadyRevokedError, LastOfficerKeyError, PartnerAlreadyExistsError, TerritoryNotBootstrappedError } from '../../domain/identity/errors.ts';
import type { KeyRecord, Page, PageRequest, Principal } from '../../domain/model.ts';
import { DomainError, StateConflictError } from '../../domain/errors.ts';
import type { IdentityStore } from '../../ports/identity.ts';
import { cancellationCodes, dependencyFailure } from './errors.ts';
import { outboxPut } from './outbox.ts';
import { gsi1Page, pageOf } from './pagination.ts';

export const partnerKey = (id: string) => ({ pk: `PARTNER#${id}`, sk: 'PARTNER' });
const secretKey = (hash: string) => ({ pk: `APIKEY#${hash}`, sk: 'APIKEY' });
const keyRecordKey = (keyId: string) => ({ pk: `KEY#${keyId}`, sk: 'KEY' });
const sirenKey = (siren: string) => ({ pk: `SIREN#${siren}`, sk: 'SIREN' });
const TERRITORY_KEY = { pk: 'TERRITORY', sk: 'TERRITORY' };
/** Attribute of the territory item counting active officer keys (all belong to the one collectivity). */
const OFFICER_COUNT = 'activeOfficerKeys';
const PARTNERS_INDEX = 'PARTNERS';
const keysIndexOf = (partnerId: string) => `PARTNER#${partnerId}#KEYS`;

/** A partner from its item, without the table's attributes. */
export function toPartner(item: Record<string, unknown>): Partner {
  const { id, name, kind, siren, contactEmail, createdAt } = item as Partner;
  return { id, name, kind, ...(siren ? { siren } : {}), contactEmail, createdAt };
}

function toKeyRecord(item: Record<string, unknown>): KeyRecord {
  const { keyId, keyHash, partnerId, role, label, createdAt, revokedAt, personId } = item as unknown as KeyRecord;
  return { keyId, keyHash, partnerId, role, label, createdAt, ...(revokedAt ? { revokedAt } : {}), ...(personId ? { personId } : {}) };
}

/** Partners and API keys in the single table. */
export class DynamoIdentityStore implements IdentityStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async principalByKeyHash(keyHash: string): Promise<Principal | undefined> {
    // Strongly consistent so a revocation holds from the very next request.
    const item = await this.get(secretKey(keyHash), true);
    if (!item) return undefined;
    return { keyId: String(item.keyId), label: String(item.label), partnerId: String(item.partnerId), role: item.role as Principal['role'], ...(item.personId ? { personId: String(item.personId) } : {}) };
  }

  async getPartner(id: string): Promise<Partner | undefined> {
    const item = await this.get(partnerKey(id), false);
    return item ? toPartner(item) : undefined;
  }

  async listPartners(page: PageRequest): Promise<Page<Partner>> {
    const out = await this.queryIndex(PARTNERS_INDEX, page);
    return pageOf(out.Items!.map(toPartner), out.LastEvaluatedKey);
  }

  async getKey(keyId: string): Promise<KeyRecord | undefined> {
    const item = await this.get(keyRecordKey(keyId), true);
    return item ? toKeyRecord(item) : undefined;
  }

  async listKeys(partnerId: string, page: PageRequest): Promise<Page<KeyRecord>> {
    const out = await this.queryIndex(keysIndexOf(partnerId), page);
    return pageOf(out.Items!.map(toKeyRecord), out.LastEvaluatedKey);
  }

  async createPartner(partner: Partner, firstKey: KeyRecord, event: PendingAuditEvent, keyEvent: PendingAuditEvent): Promise<void> {
    const items = [
      this.putNew({ ...partnerKey(partner.id), ...partner, gsi1pk: PARTNERS_INDEX, gsi1sk: partner.id }),
      ...(partner.siren ? [this.putNew({ ...sirenKey(partner.siren), partnerId: partner.id })] : []),
      ...this.keyItems(firstKey),
      outboxPut(this.tableName, event),
      outboxPut(this.tableName, keyEvent),
    ];
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (partner.siren && cancellationCodes(error)?.[1] === 'ConditionalCheckFailed') {
        throw new PartnerAlreadyExistsError(partner.siren, { cause: error });
      }
      throw this.translate('createPartner', error);
    }
  }

  async createKey(key: KeyRecord, event: PendingAuditEvent): Promise<void> {
    const officer = key.role === 'officer';
    const items = [...this.keyItems(key), ...(officer ? [this.officerCount(+1)] : []), outboxPut(this.tableName, event)];
    try {
      await this.sendCountingOfficers(items, officer ? 2 : undefined);
    } catch (error) {
      throw this.translate('createKey', error);
    }
  }

  async revokeKey(key: KeyRecord, revokedAt: string, event: PendingAuditEvent): Promise<void> {
    const officer = key.role === 'officer';
    const items = [
      {
        Update: {
          TableName: this.tableName,
          Key: keyRecordKey(key.keyId),
          UpdateExpression: 'SET revokedAt = :at',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(revokedAt)',
          ExpressionAttributeValues: { ':at': revokedAt },
        },
        // Deleting the secret's item is what makes the very next request fail authentication.
      },
      { Delete: { TableName: this.tableName, Key: secretKey(key.keyHash) } },
      ...(officer ? [this.officerCount(-1)] : []),
      outboxPut(this.tableName, event),
    ];
    try {
      await this.sendCountingOfficers(items, officer ? 2 : undefined);
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes?.[0] === 'ConditionalCheckFailed') throw new KeyAlreadyRevokedError(key.keyId, { cause: error });
      if (officer && codes?.[2] === 'ConditionalCheckFailed') throw new LastOfficerKeyError(key.keyId, { cause: error });
      throw this.translate('revokeKey', error);
    }
  }

  async bindKey(key: KeyRecord, personId: string, event: PendingAuditEvent): Promise<void> {
    const items = [
      {
        Update: {
          TableName: this.tableName,
          Key: keyRecordKey(key.keyId),
          UpdateExpression: 'SET personId = :p',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(revokedAt) AND attribute_not_exists(personId)',
          ExpressionAttributeValues: { ':p': personId },
        },
      },
      // The secret's item is what authentication reads: it carries the person too.
      { Update: { TableName: this.tableName, Key: secretKey(key.keyHash), UpdateExpression: 'SET personId = :p', ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':p': personId } } },
      outboxPut(this.tableName, event),
    ];
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes?.[0] === 'ConditionalCheckFailed' || codes?.[1] === 'ConditionalCheckFailed') throw new StateConflictError(`key ${key.keyId} is revoked or bound to a person already`, 'key_not_bindable', { cause: error });
      throw this.translate('bindKey', error);
    }
  }

  async territory(): Promise<{ collectivityId: string } | undefined> {
    const item = await this.get(TERRITORY_KEY, true);
    return item ? { collectivityId: String(item.collectivityId) } : undefined;
  }

  async bootstrapTerritory(collectivity: Partner, officerKey: KeyRecord, events: readonly PendingAuditEvent[]): Promise<boolean> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            this.putNew({ ...TERRITORY_KEY, collectivityId: collectivity.id, bootstrappedAt: collectivity.createdAt, [OFFICER_COUNT]: 1 }),
            this.putNew({ ...partnerKey(collectivity.id), ...collectivity, gsi1pk: PARTNERS_INDEX, gsi1sk: collectivity.id }),
            ...this.keyItems(officerKey),
            ...events.map((e) => outboxPut(this.tableName, e)),
          ],
        }),
      );
      return true;
    } catch (error) {
      if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return false;
      throw this.translate('bootstrapTerritory', error);
    }
  }

  private keyItems(key: KeyRecord) {
    return [
      this.putNew({ ...keyRecordKey(key.keyId), ...key, gsi1pk: keysIndexOf(key.partnerId), gsi1sk: key.keyId }),
      this.putNew({ ...secretKey(key.keyHash), keyId: key.keyId, partnerId: key.partnerId, role: key.role, label: key.label, ...(key.personId ? { personId: key.personId } : {}) }),
    ];
  }

  /**
   * The counter update that makes "at least one active officer key" part of the write itself, so
   * two revocations racing each other cannot both pass it (a read before the write could).
   */
  private officerCount(delta: 1 | -1) {
    return {
      Update: {
        TableName: this.tableName,
        Key: TERRITORY_KEY,
        UpdateExpression: 'SET #n = #n + :d',
        ConditionExpression: delta < 0 ? '#n > :one' : 'attribute_exists(#n)',
        ExpressionAttributeNames: { '#n': OFFICER_COUNT },
        ExpressionAttributeValues: delta < 0 ? { ':d': -1, ':one': 1 } : { ':d': 1 },
      },
    };
  }

  /**
   * Sends a transaction whose item `counterAt` updates the officer counter. A territory bootstrapped
   * before the counter existed has none: count its officer keys once, then send again.
   */
  private async sendCountingOfficers(items: NonNullable<TransactWriteCommand['input']['TransactItems']>, counterAt: number | undefined): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: items }));
        return;
      } catch (error) {
        if (counterAt === undefined || attempt > 1 || cancellationCodes(error)?.[counterAt] !== 'ConditionalCheckFailed') throw error;
        const territory = await this.get(TERRITORY_KEY, true);
        if (!territory) throw new TerritoryNotBootstrappedError({ cause: error });
        // Counted already: the condition failed on its merits, and recounting would change nothing.
        if (territory[OFFICER_COUNT] !== undefined) throw error;
        await this.initialiseOfficerCount(String(territory.collectivityId));
      }
    }
  }

  /**
   * Stores the number of active officer keys on a territory that has no counter yet. While it has
   * none, every officer key issue or revocation fails its condition, so the count cannot move under us.
   */
  private async initialiseOfficerCount(collectivityId: string): Promise<void> {
    let count = 0;
    let cursor: string | undefined;
    do {
      const page = await this.listKeys(collectivityId, { limit: 100, ...(cursor ? { cursor } : {}) });
      for (const listed of page.items) {
        if (listed.role !== 'officer' || listed.revokedAt) continue;
        // The index may lag a revocation: re-read the key itself, strongly consistent.
        const key = await this.getKey(listed.keyId);
        if (key && !key.revokedAt) count += 1;
      }
      cursor = page.cursor;
    } while (cursor);
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: TERRITORY_KEY,
          UpdateExpression: 'SET #n = :n',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#n)',
          ExpressionAttributeNames: { '#n': OFFICER_COUNT },
          ExpressionAttributeValues: { ':n': count },
        }),
      );
    } catch (error) {
      // A concurrent request initialised it first, from the same keys.
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return;
      throw dependencyFailure('UpdateItem', error);
    }
  }

  private putNew(item: Record<string, unknown>) {
    return { Put: { TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } };
  }

  private async get(key: { pk: string; sk: string }, consistent: boolean) {
    try {
      const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: consistent }));
      return out.Item;
    } catch (error) {
      throw dependencyFailure('GetItem', error);
    }
  }

  private queryIndex(partition: string, page: PageRequest) {
    return gsi1Page(this.db, this.tableName, partition, page);
  }

  private translate(operation: string, error: unknown): Error {
    if (error instanceof DomainError) return error;
    const codes = cancellationCodes(error);
    if (codes?.includes('TransactionConflict')) {
      return new StateConflictError('a concurrent change touched the same records; retry', 'concurrent_change', { cause: error });
    }
    return dependencyFailure(operation, error);
  }
}
