import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DatasetVersion } from '../../../schemas/index.ts';
import type { PendingAuditEvent } from '../../domain/audit/audit-trail.ts';
import { InvalidRequestError, StateConflictError } from '../../domain/errors.ts';
import type { Page, PageRequest } from '../../domain/model.ts';
import type { CatalogueStore, DatasetMetadataChanges, DatasetRecord, DatasetSearch, Publication, VersionRecord } from '../../ports/catalogue.ts';
import { batchGetAll } from './batch-get.ts';
import { cancellationCodes, dependencyFailure, dynamoCall } from './errors.ts';
import { ALL_DATASETS, IN_FLIGHT, OPEN_DATASETS, OPEN_PENDING, datasetKey, deliverySk, inFlightIndex, openPointerKey, themePartition, versionKey } from './keys.ts';
import { outboxPut } from './outbox.ts';
import { DEFAULT_LIMIT, pageOf, startKeyOf } from './pagination.ts';
import { transactWrite } from './transact.ts';

const INTERNAL = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'searchText'];
/** Filtered queries read at most this many pages per request before answering with a cursor. */
const MAX_FILTERED_PAGES = 5;

/** States a version leaves for good: it drops out of the in-flight index. */
const SETTLED: readonly DatasetVersion['status'][] = ['published', 'rejected', 'failed', 'purged'];

function strip<T>(item: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (!INTERNAL.includes(k)) out[k] = v;
  return out as T;
}

/** A dataset from its item, without the table's attributes. */
export const datasetOfItem = (item: Record<string, unknown>): DatasetRecord => strip<DatasetRecord>(item);

/** The transaction item of a metadata edit, conditional on the dataset's `updatedAt` (optimistic). */
export function datasetUpdate(tableName: string, id: string, changes: DatasetMetadataChanges, searchText: string, expectedUpdatedAt: string) {
  const fields: Record<string, unknown> = { ...changes, searchText, ...(changes.theme ? { gsi2pk: themePartition(changes.theme) } : {}) };
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':expected': expectedUpdatedAt };
  const sets = Object.entries(fields).map(([k, v], i) => {
    names[`#f${i}`] = k;
    values[`:f${i}`] = v;
    return `#f${i} = :f${i}`;
  });
  return {
    Update: {
      TableName: tableName,
      Key: datasetKey(id),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: 'updatedAt = :expected',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/** Datasets, versions and the /open listing in the single table. */
export class DynamoCatalogueStore implements CatalogueStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async createDataset(dataset: DatasetRecord, searchText: string, event: PendingAuditEvent): Promise<void> {
    await this.transact('createDataset', [
      {
        Put: {
          TableName: this.tableName,
          Item: this.datasetItem(dataset, searchText),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      outboxPut(this.tableName, event),
    ]);
  }

  async getDataset(id: string): Promise<DatasetRecord | undefined> {
    const out = await this.run('GetItem', () => this.db.send(new GetCommand({ TableName: this.tableName, Key: datasetKey(id), ConsistentRead: true })));
    return out.Item ? strip<DatasetRecord>(out.Item) : undefined;
  }

  async getDatasets(ids: readonly string[]): Promise<DatasetRecord[]> {
    // Listings: eventually consistent, as the queries they come with.
    const found = (await batchGetAll(this.db, this.tableName, [...new Set(ids)].map(datasetKey), { consistent: false })).map((i) => strip<DatasetRecord>(i));
    const byId = new Map(found.map((d) => [d.id, d]));
    return ids.map((id) => byId.get(id)).filter((d): d is DatasetRecord => d !== undefined);
  }

  async updateDataset(id: string, changes: DatasetMetadataChanges, searchText: string, expectedUpdatedAt: string, event: PendingAuditEvent): Promise<void> {
    try {
      await this.transact('updateDataset', [datasetUpdate(this.tableName, id, changes, searchText, expectedUpdatedAt), outboxPut(this.tableName, event)]);
    } catch (error) {
      if (cancellationCodes((error as Error).cause)?.[0] === 'ConditionalCheckFailed') {
        throw new StateConflictError('the dataset changed meanwhile; read it again and retry', 'dataset_changed', { cause: error });
      }
      throw error;
    }
  }

  async searchDatasets(search: DatasetSearch): Promise<Page<DatasetRecord>> {
    const [index, partition, pkName] = search.theme ? ['gsi2', themePartition(search.theme), 'gsi2pk'] : ['gsi1', ALL_DATASETS, 'gsi1pk'];
    const keyAttributes = ['pk', 'sk', pkName, pkName.replace('pk', 'sk')];
    let start = startKeyOf(search, keyAttributes);
    if (start && start[pkName] !== partition) throw new InvalidRequestError('cursor belongs to another search');
    const filters: string[] = [];
    const values: Record<string, unknown> = { ':p': partition };
    if (search.classification) {
      filters.push('classification = :c');
      values[':c'] = search.classification;
    }
    search.tokens.forEach((t, i) => {
      filters.push(`contains(searchText, :t${i})`);
      values[`:t${i}`] = ` ${t}`;
    });
    const limit = search.limit ?? DEFAULT_LIMIT;
    const items: DatasetRecord[] = [];
    for (let page = 0; page < MAX_FILTERED_PAGES && items.length < limit; page++) {
      const out = await this.run('Query', () =>
        this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: index,
            KeyConditionExpression: `${pkName} = :p`,
            ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
            ExpressionAttributeValues: values,
            Limit: limit - items.length,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        ),
      );
      items.push(...(out.Items ?? []).map((i) => strip<DatasetRecord>(i)));
      start = out.LastEvaluatedKey;
      if (!start) break;
    }
    return pageOf(items, start);
  }

  async createVersion(dataset: DatasetRecord, version: VersionRecord, event: PendingAuditEvent): Promise<void> {
    try {
      await this.transact('createVersion', [
        {
          Update: {
            TableName: this.tableName,
            Key: datasetKey(dataset.id),
            UpdateExpression: 'SET nextVersion = :n',
            ConditionExpression: 'nextVersion = :previous',
            ExpressionAttributeValues: { ':n': version.version, ':previous': dataset.nextVersion },
          },
        },
        {
          Put: {
            TableName: this.tableName,
            Item: { ...versionKey(dataset.id, version.version), ...version, ...(version.sweepAt ? inFlightIndex(dataset.id, version.version, version.sweepAt) : {}) },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        outboxPut(this.tableName, event),
      ]);
    } catch (error) {
      if (cancellationCodes((error as Error).cause)?.some((c) => c === 'ConditionalCheckFailed')) {
        throw new StateConflictError('another version was created at the same moment; retry', 'version_race', { cause: error });
      }
      throw error;
    }
  }

  async getVersion(datasetId: string, version: number): Promise<VersionRecord | undefined> {
    const out = await this.run('GetItem', () => this.db.send(new GetCommand({ TableName: this.tableName, Key: versionKey(datasetId, version), ConsistentRead: true })));
    return out.Item ? strip<VersionRecord>(out.Item) : undefined;
  }

  async getDatasetAndVersion(datasetId: string, version: number): Promise<{ dataset?: DatasetRecord; version?: VersionRecord }> {
    const keys = { dataset: datasetKey(datasetId), version: versionKey(datasetId, version) };
    const items = await batchGetAll(this.db, this.tableName, [keys.dataset, keys.version], { consistent: true });
    const dataset = items.find((i) => i.sk === keys.dataset.sk);
    const found = items.find((i) => i.sk === keys.version.sk);
    return { ...(dataset ? { dataset: datasetOfItem(dataset) } : {}), ...(found ? { version: strip<VersionRecord>(found) } : {}) };
  }

  async latestPublishedVersion(datasetId: string): Promise<VersionRecord | undefined> {
    let start: Record<string, unknown> | undefined;
    // Newest first; unpublished or purged versions are rare, so the first page almost always answers.
    do {
      const out = await this.run('Query', () =>
        this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :v)',
            FilterExpression: '#status = :published',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':pk': `DATASET#${datasetId}`, ':v': 'VERSION#', ':published': 'published' },
            ScanIndexForward: false,
            Limit: 5,
            ConsistentRead: true,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        ),
      );
      const found = out.Items?.[0];
      if (found) return strip<VersionRecord>(found);
      start = out.LastEvaluatedKey;
    } while (start);
    return undefined;
  }

  async listVersions(datasetId: string, page: PageRequest): Promise<Page<VersionRecord>> {
    const start = startKeyOf(page, ['pk', 'sk']);
    if (start && start.pk !== `DATASET#${datasetId}`) throw new InvalidRequestError('cursor belongs to another list');
    const out = await this.run('Query', () =>
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :v)',
          ExpressionAttributeValues: { ':pk': `DATASET#${datasetId}`, ':v': 'VERSION#' },
          ScanIndexForward: false,
          Limit: page.limit ?? DEFAULT_LIMIT,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      ),
    );
    return pageOf((out.Items ?? []).map((i) => strip<VersionRecord>(i)), out.LastEvaluatedKey);
  }

  async transition(
    datasetId: string,
    version: number,
    from: readonly DatasetVersion['status'][],
    changes: Partial<VersionRecord>,
    event: PendingAuditEvent | undefined,
  ): Promise<void> {
    const update = this.versionUpdate(datasetId, version, changes, { expression: `#status IN (${from.map((_, i) => `:from${i}`).join(', ')})`, values: Object.fromEntries(from.map((s, i) => [`:from${i}`, s])) });
    try {
      await this.transact('transition', [update, ...(event ? [outboxPut(this.tableName, event)] : [])]);
    } catch (error) {
      if (cancellationCodes((error as Error).cause)?.[0] === 'ConditionalCheckFailed') {
        throw new StateConflictError(`version ${version} is no longer ${from.join(' or ')}`, 'version_state_changed', { cause: error });
      }
      throw error;
    }
  }

  async sweep(seen: VersionRecord, changes: Partial<VersionRecord>, event: PendingAuditEvent): Promise<void> {
    // Same status and same sweepAt: no complete, claim, URL renewal or other sweep happened since the read.
    const update = this.versionUpdate(seen.datasetId, seen.version, changes, { expression: '#status = :seen AND sweepAt = :seenSweepAt', values: { ':seen': seen.status, ':seenSweepAt': seen.sweepAt } });
    try {
      await this.transact('sweep', [update, outboxPut(this.tableName, event)]);
    } catch (error) {
      if (cancellationCodes((error as Error).cause)?.[0] === 'ConditionalCheckFailed') {
        throw new StateConflictError(`version ${seen.version} moved while it was swept`, 'version_state_changed', { cause: error });
      }
      throw error;
    }
  }

  async claimIngest(datasetId: string, version: number, now: string, leaseUntil: string, sweepAt: string): Promise<number | undefined> {
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: versionKey(datasetId, version),
          UpdateExpression: 'SET #claim = if_not_exists(#claim, :zero) + :one, leaseUntil = :until, sweepAt = :sweepAt, gsi2pk = :p, gsi2sk = :sk',
          // One ingest at a time: a duplicate event waits for the lease of a live attempt to lapse.
          ConditionExpression: '#status = :validating AND (attribute_not_exists(leaseUntil) OR leaseUntil <= :now)',
          ExpressionAttributeNames: { '#status': 'status', '#claim': 'claim' },
          ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':until': leaseUntil, ':sweepAt': sweepAt, ':validating': 'validating', ':now': now, ':p': IN_FLIGHT, ':sk': inFlightIndex(datasetId, version, sweepAt).gsi2sk },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(out.Attributes?.claim);
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return undefined;
      throw dependencyFailure('UpdateItem', error);
    }
  }

  async versionsToSweep(now: string, limit: number): Promise<{ datasetId: string; version: number }[]> {
    return this.versionsDue(IN_FLIGHT, now, limit);
  }


  /** The update of a version's fields under `condition`; keeps its in-flight index entry in step with `sweepAt` and the status. */
  private versionUpdate(datasetId: string, version: number, changes: Partial<VersionRecord>, condition: { expression: string; values: Record<string, unknown> }) {
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = { ...condition.values };
    const sets: string[] = [];
    const index = changes.sweepAt ? inFlightIndex(datasetId, version, changes.sweepAt) : {};
    Object.entries({ ...changes, ...index }).forEach(([k, v], i) => {
      names[`#f${i}`] = k;
      values[`:f${i}`] = v;
      sets.push(`#f${i} = :f${i}`);
    });
    const settled = changes.status !== undefined && SETTLED.includes(changes.status);
    return {
      Update: {
        TableName: this.tableName,
        Key: versionKey(datasetId, version),
        UpdateExpression: `SET ${sets.join(', ')}${settled ? ' REMOVE gsi2pk, gsi2sk, sweepAt, leaseUntil' : ''}`,
        ConditionExpression: condition.expression,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    };
  }

  async publish(p: Publication): Promise<void> {
    const v = p.version;
    const latest = Math.max(v.version, p.previousLatest ?? 0);
    const items: Record<string, unknown>[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...versionKey(v.datasetId, v.version),
            ...v,
            ...(v.openFrom && !v.open && !v.openBlocked ? { gsi2pk: OPEN_PENDING, gsi2sk: `${v.openFrom}#${v.datasetId}#${v.version}` } : {}),
          },
          // Only the attempt holding the claim publishes: one whose lease lapsed and was taken over is refused.
          ConditionExpression: '#status = :validating AND #claim = :claim',
          ExpressionAttributeNames: { '#status': 'status', '#claim': 'claim' },
          ExpressionAttributeValues: { ':validating': 'validating', ':claim': p.claim },
        },
      },
      {
        Update: {
          TableName: this.tableName,
          Key: datasetKey(v.datasetId),
          UpdateExpression: 'SET latestVersion = :latest, updatedAt = :at',
          ConditionExpression: p.previousLatest === undefined ? 'attribute_not_exists(latestVersion)' : 'latestVersion = :previous',
          ExpressionAttributeValues: { ':latest': latest, ':at': v.publishedAt, ...(p.previousLatest === undefined ? {} : { ':previous': p.previousLatest }) },
        },
      },
      ...(v.open ? [this.openPointerPut(v.datasetId, v.version)] : []),
      ...(p.delivery
        ? [
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  pk: `CONTRACT#${p.delivery.contractId}`,
                  sk: deliverySk(p.delivery.obligationId, v.publishedAt!, v.datasetId, v.version),
                  datasetId: v.datasetId,
                  version: v.version,
                  publishedAt: v.publishedAt,
                },
              },
            },
          ]
        : []),
      ...p.events.map((e) => outboxPut(this.tableName, e)),
    ];
    try {
      await this.transact('publish', items);
    } catch (error) {
      const codes = cancellationCodes((error as Error).cause);
      if (codes?.[0] === 'ConditionalCheckFailed') throw new StateConflictError(`version ${v.version} is no longer validating`, 'version_state_changed', { cause: error });
      if (codes?.[1] === 'ConditionalCheckFailed') throw new StateConflictError('another version was published at the same moment', 'latest_version_race', { cause: error });
      throw error;
    }
  }

  async openVersion(version: VersionRecord, datasetUpdatedAt: string, event: PendingAuditEvent): Promise<void> {
    try {
      await this.transact('openVersion', [
        {
          Update: {
            TableName: this.tableName,
            Key: versionKey(version.datasetId, version.version),
            UpdateExpression: 'SET #open = :true REMOVE gsi2pk, gsi2sk',
            ConditionExpression: '#status = :published AND #open = :false',
            ExpressionAttributeNames: { '#open': 'open', '#status': 'status' },
            ExpressionAttributeValues: { ':true': true, ':false': false, ':published': 'published' },
          },
        },
        // The caller judged the dataset as of this updatedAt (no personal fields): an edit since then means judging again.
        { ConditionCheck: { TableName: this.tableName, Key: datasetKey(version.datasetId), ConditionExpression: 'updatedAt = :seen', ExpressionAttributeValues: { ':seen': datasetUpdatedAt } } },
        outboxPut(this.tableName, event),
      ]);
    } catch (error) {
      if (cancellationCodes((error as Error).cause)?.some((c) => c === 'ConditionalCheckFailed')) return;
      throw error;
    }
    await this.refreshListing(version.datasetId);
  }

  async blockOpening(version: VersionRecord, reason: string, event: PendingAuditEvent): Promise<void> {
    try {
      await this.transact('blockOpening', [
        {
          Update: {
            TableName: this.tableName,
            Key: versionKey(version.datasetId, version.version),
            UpdateExpression: 'SET openBlocked = :reason REMOVE gsi2pk, gsi2sk',
            ConditionExpression: '#status = :published AND #open = :false',
            ExpressionAttributeNames: { '#open': 'open', '#status': 'status' },
            ExpressionAttributeValues: { ':reason': reason, ':false': false, ':published': 'published' },
          },
        },
        outboxPut(this.tableName, event),
      ]);
    } catch (error) {
      if (cancellationCodes((error as Error).cause)?.[0] === 'ConditionalCheckFailed') return;
      throw error;
    }
  }

  async reconcileOpenness(datasetId: string, open: boolean): Promise<void> {
    let cursor: string | undefined;
    do {
      const page = await this.listVersions(datasetId, { limit: 100, ...(cursor ? { cursor } : {}) });
      for (const v of page.items) {
        if (v.status !== 'published') continue;
        // Versions opened by a contract's openDataAfter stay open: that openness does not come from the classification.
        const change = open ? !v.open : v.open && !v.openFrom;
        if (!change) continue;
        await this.run('UpdateItem', () =>
          this.db.send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: versionKey(datasetId, v.version),
              UpdateExpression: open ? 'SET #open = :open REMOVE gsi2pk, gsi2sk' : 'SET #open = :open',
              ConditionExpression: '#status = :published',
              ExpressionAttributeNames: { '#open': 'open', '#status': 'status' },
              ExpressionAttributeValues: { ':open': open, ':published': 'published' },
            }),
          ),
        );
      }
      cursor = page.cursor;
    } while (cursor);
    await this.refreshListing(datasetId);
  }

  async versionsDueToOpen(now: string, limit: number): Promise<{ datasetId: string; version: number }[]> {
    return this.versionsDue(OPEN_PENDING, now, limit);
  }

  /** Versions of a gsi2 due-date partition (`<at>#<datasetId>#<n>`) whose date has come. */
  private async versionsDue(partition: string, now: string, limit: number): Promise<{ datasetId: string; version: number }[]> {
    const out = await this.run('Query', () =>
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :p AND gsi2sk <= :now',
          ExpressionAttributeValues: { ':p': partition, ':now': `${now}#~` },
          Limit: limit,
        }),
      ),
    );
    return (out.Items ?? []).map((i) => ({ datasetId: String(i.datasetId), version: Number(i.version) }));
  }


  async refreshListing(datasetId: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const observed = (await this.getDataset(datasetId))?.latestVersion;
      let latestOpen = 0;
      let latest = 0;
      let cursor: string | undefined;
      do {
        const page = await this.listVersions(datasetId, { limit: 100, ...(cursor ? { cursor } : {}) });
        for (const v of page.items) {
          if (v.status !== 'published') continue;
          latest = Math.max(latest, v.version);
          if (v.open) latestOpen = Math.max(latestOpen, v.version);
        }
        cursor = page.cursor;
      } while (cursor);
      try {
        // Conditional on what was read, so a publication meanwhile is never rolled back.
        const values = { ...(latest ? { ':l': latest } : {}), ...(observed === undefined ? {} : { ':observed': observed }) };
        await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: datasetKey(datasetId),
            UpdateExpression: latest ? 'SET latestVersion = :l' : 'REMOVE latestVersion',
            ConditionExpression: observed === undefined ? 'attribute_not_exists(latestVersion)' : 'latestVersion = :observed',
            ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
          }),
        );
      } catch (error) {
        if ((error as Error).name === 'ConditionalCheckFailedException' && attempt < 5) continue;
        throw dependencyFailure('UpdateItem', error);
      }
      if (latestOpen) await this.run('PutItem', () => this.db.send(new PutCommand(this.openPointerPut(datasetId, latestOpen).Put)));
      else await this.run('DeleteItem', () => this.db.send(new DeleteCommand({ TableName: this.tableName, Key: openPointerKey(datasetId) })));
      return;
    }
  }

  async listOpenDatasets(page: PageRequest): Promise<Page<{ datasetId: string; latestOpenVersion: number }>> {
    const start = startKeyOf(page, ['pk', 'sk', 'gsi1pk', 'gsi1sk']);
    if (start && start.gsi1pk !== OPEN_DATASETS) throw new InvalidRequestError('cursor belongs to another list');
    const out = await this.run('Query', () =>
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :p',
          ExpressionAttributeValues: { ':p': OPEN_DATASETS },
          Limit: page.limit ?? DEFAULT_LIMIT,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      ),
    );
    return pageOf((out.Items ?? []).map((i) => ({ datasetId: String(i.datasetId), latestOpenVersion: Number(i.latestOpenVersion) })), out.LastEvaluatedKey);
  }

  async countOpenDatasets(): Promise<number> {
    let total = 0;
    let start: Record<string, unknown> | undefined;
    do {
      // Select COUNT reads the pointers' keys only; a page stops at 1 MB, hence the loop.
      const out = await this.run('Query', () =>
        this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :p',
            ExpressionAttributeValues: { ':p': OPEN_DATASETS },
            Select: 'COUNT',
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        ),
      );
      total += out.Count ?? 0;
      start = out.LastEvaluatedKey;
    } while (start);
    return total;
  }

  private openPointerPut(datasetId: string, latestOpenVersion: number) {
    return {
      Put: {
        TableName: this.tableName,
        Item: { ...openPointerKey(datasetId), datasetId, latestOpenVersion, gsi1pk: OPEN_DATASETS, gsi1sk: datasetId },
      },
    };
  }

  private datasetItem(d: DatasetRecord, searchText: string) {
    return { ...datasetKey(d.id), ...d, searchText, gsi1pk: ALL_DATASETS, gsi1sk: d.id, gsi2pk: themePartition(d.theme), gsi2sk: d.id };
  }

  private transact(operation: string, items: Record<string, unknown>[]): Promise<void> {
    return transactWrite(this.db, operation, items);
  }

  private run<T>(operation: string, call: () => Promise<T>): Promise<T> {
    return dynamoCall(operation, call);
  }
}

