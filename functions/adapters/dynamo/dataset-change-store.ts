import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DatasetChange, DatasetChangeState } from '../../../schemas/index.ts';
import type { PendingAuditEvent } from '../../domain/audit/audit-trail.ts';
import { InvalidRequestError, StateConflictError } from '../../domain/errors.ts';
import type { Page, PageRequest } from '../../domain/model.ts';
import type { ApprovedEdit, ChangeDecision, DatasetChangeStore } from '../../ports/dataset-changes.ts';
import { datasetUpdate } from './catalogue-store.ts';
import { cancellationCodes, dynamoCall } from './errors.ts';
import { outboxPut } from './outbox.ts';
import { DEFAULT_LIMIT, pageOf, pointedPage, startKeyOf } from './pagination.ts';
import { transactWrite } from './transact.ts';

const changeKey = (id: string) => ({ pk: `DSCHANGE#${id}`, sk: 'DSCHANGE' });
const ALL_CHANGES = 'DSCHANGES';
const statePartition = (state: DatasetChangeState) => `DSCHANGESTATE#${state}`;
const requesterPartition = (partnerId: string) => `PARTY#${partnerId}#DSCHANGES`;
const INTERNAL = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk']);

const strip = (item: Record<string, unknown>) => Object.fromEntries(Object.entries(item).filter(([k]) => !INTERNAL.has(k))) as DatasetChange;

/** Dataset change requests: the request, its state partition, and the requester's list. */
export class DynamoDatasetChangeStore implements DatasetChangeStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(change: DatasetChange, event: PendingAuditEvent): Promise<void> {
    await this.transact('createDatasetChange', [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...changeKey(change.id), ...change, gsi1pk: ALL_CHANGES, gsi1sk: change.id, gsi2pk: statePartition(change.state), gsi2sk: change.id },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      { Put: { TableName: this.tableName, Item: { pk: requesterPartition(change.requestedBy.partnerId), sk: change.id, changeId: change.id } } },
      outboxPut(this.tableName, event),
    ]);
  }

  async get(id: string): Promise<DatasetChange | undefined> {
    const out = await this.run('GetItem', () => this.db.send(new GetCommand({ TableName: this.tableName, Key: changeKey(id), ConsistentRead: true })));
    return out.Item ? strip(out.Item) : undefined;
  }

  async listByState(state: DatasetChangeState | undefined, page: PageRequest): Promise<Page<DatasetChange>> {
    const [index, partition] = state ? (['gsi2', statePartition(state)] as const) : (['gsi1', ALL_CHANGES] as const);
    const pk = `${index}pk`;
    const start = startKeyOf(page, ['pk', 'sk', pk, `${index}sk`]);
    if (start && start[pk] !== partition) throw new InvalidRequestError('cursor belongs to another list');
    const out = await this.run('Query', () =>
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
    return pageOf((out.Items ?? []).map(strip), out.LastEvaluatedKey);
  }

  listByRequester(partnerId: string, page: PageRequest): Promise<Page<DatasetChange>> {
    return pointedPage(this.db, this.tableName, requesterPartition(partnerId), page, { idAttribute: 'changeId', keyOf: changeKey, read: strip });
  }

  async approve(change: DatasetChange, decision: ChangeDecision, edit: ApprovedEdit, events: readonly PendingAuditEvent[]): Promise<DatasetChange> {
    try {
      await this.transact('approveDatasetChange', [
        datasetUpdate(this.tableName, change.datasetId, edit.changes, edit.searchText, change.baseUpdatedAt),
        this.decide(change.id, decision),
        ...events.map((e) => outboxPut(this.tableName, e)),
      ]);
    } catch (error) {
      const codes = cancellationCodes((error as Error).cause);
      if (codes?.[1] === 'ConditionalCheckFailed') throw notPending(change.id, error);
      if (codes?.[0] === 'ConditionalCheckFailed') throw datasetChanged(error);
      throw error;
    }
    return decided(change, decision);
  }

  async close(change: DatasetChange, decision: ChangeDecision, event: PendingAuditEvent): Promise<DatasetChange> {
    try {
      await this.transact('closeDatasetChange', [this.decide(change.id, decision), outboxPut(this.tableName, event)]);
    } catch (error) {
      if (cancellationCodes((error as Error).cause)?.[0] === 'ConditionalCheckFailed') throw notPending(change.id, error);
      throw error;
    }
    return decided(change, decision);
  }

  /** The request leaves `pending` once, for the decision's state partition. */
  private decide(id: string, d: ChangeDecision) {
    return {
      Update: {
        TableName: this.tableName,
        Key: changeKey(id),
        UpdateExpression: `SET #state = :to, gsi2pk = :partition, decidedBy = :by, decidedAt = :at${d.reason ? ', #reason = :reason' : ''}`,
        ConditionExpression: '#state = :pending',
        ExpressionAttributeNames: { '#state': 'state', ...(d.reason ? { '#reason': 'reason' } : {}) },
        ExpressionAttributeValues: { ':to': d.to, ':partition': statePartition(d.to), ':by': d.by, ':at': d.at, ':pending': 'pending', ...(d.reason ? { ':reason': d.reason } : {}) },
      },
    };
  }

  private transact(operation: string, items: Record<string, unknown>[]): Promise<void> {
    return transactWrite(this.db, operation, items);
  }

  private run<T>(operation: string, call: () => Promise<T>): Promise<T> {
    return dynamoCall(operation, call);
  }
}

const decided = (change: DatasetChange, d: ChangeDecision): DatasetChange => ({ ...change, state: d.to, decidedBy: d.by, decidedAt: d.at, ...(d.reason ? { reason: d.reason } : {}) });

const datasetChanged = (cause: unknown) =>
  new StateConflictError('the dataset changed after this request was made; read it again and ask again', 'dataset_changed', { cause });

const notPending = (id: string, cause: unknown) => new StateConflictError(`change request ${id} is no longer pending`, 'change_not_pending', { cause });
