import { BatchWriteCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoAuditStore } from '../../functions/adapters/dynamo/audit-store.ts';
import { outboxPut } from '../../functions/adapters/dynamo/outbox.ts';
import { AuditTrail, systemActor } from '../../functions/domain/audit/audit-trail.ts';
import { checkLinks, GENESIS_HEAD } from '../../functions/domain/audit/chain.ts';
import { ChainHeadMovedError } from '../../functions/domain/audit/errors.ts';
import { AuditSequencer, LINKS_PER_BATCH } from '../../functions/domain/audit/sequencer.ts';
import { systemClock, ulidGenerator } from '../../functions/domain/ids.ts';
import type { AuditChainStore, StoredAuditEntry } from '../../functions/ports/audit.ts';
import { createTestTable, type TestTable } from '../support/emulators.ts';
import { RecordingPublisher } from '../support/services.ts';

/** A process dying at the injected point: nothing after it runs. */
class Crash extends Error {}

/** The real store with some calls replaced, to inject a fault at one point of the protocol. */
function wrapStore(inner: AuditChainStore, over: Partial<AuditChainStore>): AuditChainStore {
  return {
    pendingEventIds: (limit) => inner.pendingEventIds(limit),
    loadOutbox: (ids) => inner.loadOutbox(ids),
    head: () => inner.head(),
    tip: () => inner.tip(),
    appendBatch: (from, entries) => inner.appendBatch(from, entries),
    markPublished: (events) => inner.markPublished(events),
    entriesAfter: (seq, limit) => inner.entriesAfter(seq, limit),
    entriesOfSubject: (subject, after, limit) => inner.entriesOfSubject(subject, after, limit),
    entriesBefore: (seq, limit, subject) => inner.entriesBefore(seq, limit, subject),
    ...over,
  };
}

/** Writes `n` outbox events the way state changes do, and returns their ids. */
async function writeOutbox(table: TestTable, n: number): Promise<string[]> {
  const trail = new AuditTrail({ clock: systemClock, ids: ulidGenerator(systemClock) });
  const events = Array.from({ length: n }, (_, i) => trail.record({ actor: systemActor('test'), action: 'licence.accessed', subject: `lic_${i % 7}`, parties: ['prt_a'], data: { i } }));
  for (let i = 0; i < n; i += 25) {
    const puts = events.slice(i, i + 25).map((e) => ({ PutRequest: { Item: outboxPut(table.tableName, e).Put.Item } }));
    await table.db.send(new BatchWriteCommand({ RequestItems: { [table.tableName]: puts } }));
  }
  return events.map((e) => e.body.id);
}

async function wholeChain(store: AuditChainStore): Promise<StoredAuditEntry[]> {
  const entries: StoredAuditEntry[] = [];
  for (let after = 0; ; ) {
    const page = await store.entriesAfter(after, 500);
    entries.push(...page.entries);
    if (page.lastSeq === undefined) return entries;
    after = page.lastSeq;
  }
}

/** Every written event is in the chain exactly once, gapless and verified, published, and none is pending. */
async function expectCompleteChain(store: AuditChainStore, ids: readonly string[], published: RecordingPublisher[]) {
  const entries = await wholeChain(store);
  expect(entries.map((e) => e.seq)).toEqual(ids.map((_, i) => i + 1));
  expect(entries.map((e) => e.body.id).sort()).toEqual([...ids].sort());
  expect(checkLinks(GENESIS_HEAD, entries)).toEqual({ valid: true, head: await store.head(), events: ids.length });
  const seqOf = new Map(entries.map((e) => [e.body.id, e.seq]));
  const events = published.flatMap((p) => p.events);
  expect(new Set(events.map((e) => e.body.id))).toEqual(new Set(ids));
  expect(events.every((e) => seqOf.get(e.body.id) === e.seq)).toBe(true);
  expect(await store.pendingEventIds(1000)).toEqual([]);
}

describe('audit sequencer on DynamoDB Local: batches, crashes and races', () => {
  let table: TestTable;
  let store: DynamoAuditStore;

  beforeEach(async () => {
    table = await createTestTable();
    store = new DynamoAuditStore(table.db, table.tableName);
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await table.drop();
  });

  it('sequences 200 events in full batches of 99 links, one transaction each', async () => {
    // Arrange
    const ids = await writeOutbox(table, 200);
    const batches: number[] = [];
    const publisher = new RecordingPublisher();
    const counting = wrapStore(store, {
      appendBatch: async (from, entries) => {
        await store.appendBatch(from, entries);
        batches.push(entries.length);
      },
    });

    // Act
    const result = await new AuditSequencer({ store: counting, publisher }).drain();

    // Assert
    expect(LINKS_PER_BATCH).toBe(99);
    expect(batches).toEqual([99, 99, 2]);
    expect(result).toEqual({ sequenced: 200, published: 200 });
    await expectCompleteChain(store, ids, [publisher]);
  });

  it('resumes without gap or duplicate after a crash between a committed batch and its publication', async () => {
    // Arrange: the writer dies right after its second transaction commits
    const ids = await writeOutbox(table, 200);
    const first = new RecordingPublisher();
    let batches = 0;
    const dying = wrapStore(store, {
      appendBatch: async (from, entries) => {
        await store.appendBatch(from, entries);
        if (++batches === 2) throw new Crash('killed after the transaction');
      },
    });
    await expect(new AuditSequencer({ store: dying, publisher: first }).drain()).rejects.toBeInstanceOf(Crash);
    expect((await store.head()).seq).toBe(2 * LINKS_PER_BATCH);
    expect(first.events).toHaveLength(LINKS_PER_BATCH);

    // Act: a fresh writer (a new process) catches up
    const second = new RecordingPublisher();
    const result = await new AuditSequencer({ store, publisher: second }).drain();

    // Assert: it publishes the orphaned batch and sequences the rest once
    expect(result).toEqual({ sequenced: 200 - 2 * LINKS_PER_BATCH, published: 200 - LINKS_PER_BATCH });
    await expectCompleteChain(store, ids, [first, second]);
  });

  it('resumes without gap or duplicate after a crash half-way through marking a batch published', async () => {
    // Arrange: the writer dies after marking 30 events of its first batch
    const ids = await writeOutbox(table, 100);
    const first = new RecordingPublisher();
    const dying = wrapStore(store, {
      markPublished: async (events) => {
        await store.markPublished(events.slice(0, 30));
        throw new Crash('killed while marking');
      },
    });
    await expect(new AuditSequencer({ store: dying, publisher: first }).drain()).rejects.toBeInstanceOf(Crash);

    // Act
    const second = new RecordingPublisher();
    await new AuditSequencer({ store, publisher: second }).drain();

    // Assert: the 69 unmarked events are published again (at least once), none is chained twice
    expect(second.events.filter((e) => e.seq <= LINKS_PER_BATCH)).toHaveLength(LINKS_PER_BATCH - 30);
    await expectCompleteChain(store, ids, [first, second]);
  });

  it('recognises its own batch when a committed transaction is sent again after a lost answer', async () => {
    // Arrange: the first head transaction is applied, its answer lost, and the request retried
    const ids = await writeOutbox(table, 100);
    const send = table.db.send.bind(table.db);
    let resent = false;
    vi.spyOn(table.db, 'send').mockImplementation(async (command: unknown) => {
      const isHeadTransaction = command instanceof TransactWriteCommand && JSON.stringify(command.input.TransactItems?.[0]).includes('"sk":"HEAD"');
      if (isHeadTransaction && !resent) {
        resent = true;
        await send(command as never);
      }
      return send(command as never);
    });
    const publisher = new RecordingPublisher();

    // Act
    const result = await new AuditSequencer({ store, publisher }).drain();

    // Assert: the retry is refused by the head condition, the batch counted once by the chain
    expect(resent).toBe(true);
    expect(result.sequenced).toBe(100 - LINKS_PER_BATCH);
    await expectCompleteChain(store, ids, [publisher]);
  });

  it('never forks when two sequencers race on different events: one wins each batch, the other builds on it', async () => {
    // Arrange: two writers (two stream shards) with disjoint events, held until both are about to commit
    const ids = await writeOutbox(table, 200);
    const [mine, theirs] = [ids.filter((_, i) => i % 2 === 0), ids.filter((_, i) => i % 2 === 1)];
    let arrived = 0;
    let release!: () => void;
    const bothReady = new Promise<void>((r) => (release = r));
    let lost = 0;
    const racing = wrapStore(store, {
      appendBatch: async (from, entries) => {
        if (arrived < 2 && ++arrived === 2) release();
        await bothReady;
        try {
          await store.appendBatch(from, entries);
        } catch (error) {
          if (error instanceof ChainHeadMovedError) lost += 1;
          throw error;
        }
      },
    });
    const [pa, pb] = [new RecordingPublisher(), new RecordingPublisher()];

    // Act
    const [a, b] = await Promise.all([
      new AuditSequencer({ store: racing, publisher: pa }).process(mine),
      new AuditSequencer({ store: racing, publisher: pb }).process(theirs),
    ]);

    // Assert
    expect(lost).toBeGreaterThanOrEqual(1);
    expect(a.sequenced + b.sequenced).toBe(200);
    await expectCompleteChain(store, ids, [pa, pb]);
  });
});
