import { BatchGetCommand, BatchWriteCommand, GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { canonicalJson } from '../../../contracts/digest.ts';
import type { AuditEventBody, ChainHead } from '../../../schemas/index.ts';
import { GENESIS_HEAD } from '../../domain/audit/chain.ts';
import { ChainHeadMovedError } from '../../domain/audit/errors.ts';
import type { AuditChainStore, ChainTip, EntryPage, OutboxRecord, SequencedOutbox, StoredAuditEntry } from '../../ports/audit.ts';
import { cancellationCodes, dependencyFailure, dynamoCall } from './errors.ts';
import { OUTBOX_PENDING, outboxKey } from './outbox.ts';

const CHAIN_PK = 'AUDIT';
const HEAD_KEY = { pk: CHAIN_PK, sk: 'HEAD' };
const SEQ_WIDTH = 12;
const pad = (seq: number) => String(seq).padStart(SEQ_WIDTH, '0');
const entrySk = (seq: number) => `SEQ#${pad(seq)}`;
const subjectPartition = (subject: string) => `AUDIT#SUBJECT#${subject}`;
/** Published outbox items are kept a week for diagnosis, then expire. */
const OUTBOX_RETENTION_SECONDS = 7 * 24 * 3600;
/** DynamoDB's limit per BatchWriteItem. */
const BATCH_WRITE_ITEMS = 25;

function toEntry(item: Record<string, unknown>): StoredAuditEntry {
  return {
    seq: Number(item.seq),
    prevHash: String(item.prevHash),
    bodyHash: String(item.bodyHash),
    hash: String(item.hash),
    body: JSON.parse(String(item.bodyJson)) as AuditEventBody,
  };
}

/** The outbox and the sequenced chain (partition `AUDIT`, one item per seq, plus the head). */
export class DynamoAuditStore implements AuditChainStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly nowSeconds: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  async pendingEventIds(limit: number): Promise<string[]> {
    const out = await this.run('Query', () =>
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :p',
          ExpressionAttributeValues: { ':p': OUTBOX_PENDING },
          ProjectionExpression: 'gsi1sk',
          Limit: limit,
        }),
      ),
    );
    return (out.Items ?? []).map((i) => String(i.gsi1sk));
  }

  async loadOutbox(ids: readonly string[]): Promise<OutboxRecord[]> {
    const records: OutboxRecord[] = [];
    for (let i = 0; i < ids.length; i += 100) {
      let keys: Record<string, unknown>[] | undefined = ids.slice(i, i + 100).map(outboxKey);
      while (keys && keys.length > 0) {
        const out = await this.run('BatchGetItem', () =>
          this.db.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys!, ConsistentRead: true } } })),
        );
        for (const item of out.Responses?.[this.tableName] ?? []) {
          records.push({
            body: JSON.parse(String(item.bodyJson)) as AuditEventBody,
            bodyHash: String(item.bodyHash),
            ...(item.seq !== undefined ? { seq: Number(item.seq) } : {}),
            published: item.publishedAt !== undefined,
          });
        }
        keys = out.UnprocessedKeys?.[this.tableName]?.Keys;
      }
    }
    return records.sort((a, b) => (a.body.id < b.body.id ? -1 : 1));
  }

  async head(): Promise<ChainHead> {
    const { seq, hash } = await this.tip();
    return { seq, hash };
  }

  async tip(): Promise<ChainTip> {
    const out = await this.run('GetItem', () => this.db.send(new GetCommand({ TableName: this.tableName, Key: HEAD_KEY, ConsistentRead: true })));
    if (!out.Item) return { ...GENESIS_HEAD, lastBatch: [] };
    return { seq: Number(out.Item.seq), hash: String(out.Item.hash), lastBatch: ((out.Item.lastBatch as string[] | undefined) ?? []).map(String) };
  }

  async appendBatch(from: ChainHead, entries: readonly StoredAuditEntry[]): Promise<void> {
    const last = entries.at(-1);
    if (!last) return;
    const headPut = {
      Put: {
        TableName: this.tableName,
        Item: { ...HEAD_KEY, seq: last.seq, hash: last.hash, lastBatch: entries.map((e) => e.body.id) },
        // The one check that serialises writers: a batch built on a head that has moved is refused whole.
        ...(from.seq === 0
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'seq = :seq AND #h = :hash', ExpressionAttributeNames: { '#h': 'hash' }, ExpressionAttributeValues: { ':seq': from.seq, ':hash': from.hash } }),
      },
    };
    const links = entries.map((e) => ({
      Put: {
        TableName: this.tableName,
        Item: {
          pk: CHAIN_PK,
          sk: entrySk(e.seq),
          seq: e.seq,
          prevHash: e.prevHash,
          bodyHash: e.bodyHash,
          hash: e.hash,
          bodyJson: canonicalJson(e.body),
          gsi2pk: subjectPartition(e.body.subject),
          gsi2sk: pad(e.seq),
        },
      },
    }));
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: [headPut, ...links] }));
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes?.some((c) => c === 'ConditionalCheckFailed' || c === 'TransactionConflict')) throw new ChainHeadMovedError({ cause: error });
      throw dependencyFailure('TransactWriteItems', error);
    }
  }

  async markPublished(events: readonly SequencedOutbox[]): Promise<void> {
    const at = this.nowSeconds();
    // Rewritten whole (a put batches where an update cannot), without the pending index keys.
    const puts = events.map((e) => ({
      PutRequest: {
        Item: { ...outboxKey(e.body.id), bodyJson: canonicalJson(e.body), bodyHash: e.bodyHash, seq: e.seq, publishedAt: at, ttl: at + OUTBOX_RETENTION_SECONDS },
      },
    }));
    const chunks: (typeof puts)[] = [];
    for (let i = 0; i < puts.length; i += BATCH_WRITE_ITEMS) chunks.push(puts.slice(i, i + BATCH_WRITE_ITEMS));
    await Promise.all(chunks.map((chunk) => this.batchWrite(chunk)));
  }

  private async batchWrite(requests: Record<string, unknown>[]): Promise<void> {
    let pending: Record<string, unknown>[] | undefined = requests;
    for (let attempt = 0; pending && pending.length > 0; attempt++) {
      if (attempt >= 8) throw dependencyFailure('BatchWriteItem', new Error(`${pending.length} items still unprocessed after ${attempt} attempts`));
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.random() * 25 * 2 ** attempt));
      const out = await this.run('BatchWriteItem', () => this.db.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: pending as never } })));
      pending = out.UnprocessedItems?.[this.tableName] as Record<string, unknown>[] | undefined;
    }
  }

  async entriesAfter(seq: number, limit: number): Promise<EntryPage> {
    const out = await this.run('Query', () =>
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': CHAIN_PK, ':from': entrySk(seq + 1), ':to': entrySk(10 ** SEQ_WIDTH - 1) },
          Limit: limit,
          ConsistentRead: true,
        }),
      ),
    );
    return this.page(out.Items, out.LastEvaluatedKey);
  }

  async entriesOfSubject(subject: string, afterSeq: number, limit: number): Promise<EntryPage> {
    const out = await this.run('Query', () =>
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk > :after',
          ExpressionAttributeValues: { ':pk': subjectPartition(subject), ':after': pad(afterSeq) },
          Limit: limit,
        }),
      ),
    );
    return this.page(out.Items, out.LastEvaluatedKey);
  }

  async entriesBefore(seq: number, limit: number, subject?: string): Promise<EntryPage> {
    if (seq <= 1) return { entries: [] };
    const out = await this.run('Query', () =>
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          ...(subject
            ? { IndexName: 'gsi2', KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk < :below', ExpressionAttributeValues: { ':pk': subjectPartition(subject), ':below': pad(seq) } }
            : { KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to', ExpressionAttributeValues: { ':pk': CHAIN_PK, ':from': entrySk(1), ':to': entrySk(seq - 1) }, ConsistentRead: true }),
          ScanIndexForward: false,
          Limit: limit,
        }),
      ),
    );
    return this.page(out.Items, out.LastEvaluatedKey);
  }

  private page(items: Record<string, unknown>[] | undefined, lastKey: Record<string, unknown> | undefined): EntryPage {
    const entries = (items ?? []).map(toEntry);
    const last = entries.at(-1);
    return lastKey && last ? { entries, lastSeq: last.seq } : { entries };
  }

  private run<T>(operation: string, call: () => Promise<T>): Promise<T> {
    return dynamoCall(operation, call);
  }
}
