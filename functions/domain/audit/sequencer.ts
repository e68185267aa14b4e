import type { AuditChainStore, ChainTip, DomainEventPublisher, OutboxRecord, SequencedOutbox } from '../../ports/audit.ts';
import type { ChainHead } from '../../../schemas/index.ts';
import { appendLinks } from './chain.ts';
import { ChainHeadMovedError } from './errors.ts';

/** Links per batch: the head plus one entry per link fill one DynamoDB transaction (100 items). */
export const LINKS_PER_BATCH = 99;
const MAX_HEAD_RACES = 8;
/** Outbox ids read per drain round: a few batches, so one round keeps the head busy. */
const DRAIN_PAGE = 4 * LINKS_PER_BATCH;

export interface SequencerResult {
  readonly sequenced: number;
  readonly published: number;
}

/** What the sequencer asks of the checkpoints: a pure test per batch, a write only when it says so. */
export interface SequencerCheckpoints {
  due(fromSeq: number, toSeq: number): boolean;
  write(head: ChainHead): Promise<unknown>;
}

/**
 * The single writer of the chain: gives outbox events the next `seq` and hash a batch at a time, then
 * forwards them to the bus. State changes only write their outbox item, so they never contend on the head.
 *
 * A batch is one transaction (the conditional head update, which also names the batch's event ids, and
 * its entries), so the chain never has a gap or a fork. Publication and the outbox marks follow it; a crash
 * in between is finished by the next run, which publishes and marks the head's last batch before reading
 * the outbox. That keeps the rule "every batch before the head's last one is marked", and the head
 * condition makes a batch built on a stale head fail, so an unmarked event read after `settle` is not in
 * the chain: each event is sequenced once.
 */
export class AuditSequencer {
  /** Hash of the head whose last batch this instance has published and marked: saves reading it again. */
  private settledHash: string | undefined;

  constructor(
    private readonly deps: {
      store: AuditChainStore;
      publisher: DomainEventPublisher;
      /** Signed checkpoints every N events; a failed write is reported, and the schedule writes it later. */
      checkpoints?: SequencerCheckpoints;
      onCheckpointError?: (error: unknown) => void;
    },
  ) {}

  /** Sequences and publishes the given outbox events (stream records); already-done ones are skipped. */
  async process(eventIds: readonly string[]): Promise<SequencerResult> {
    const unique = [...new Set(eventIds)].sort();
    if (unique.length === 0) return { sequenced: 0, published: 0 };
    const { store } = this.deps;
    let tip = await store.tip();
    let published = await this.settle(tip);
    const records = await store.loadOutbox(unique);
    // Sequenced before batching existed but never published: finish them.
    published += await this.publish(records.filter((r): r is OutboxRecord & { seq: number } => r.seq !== undefined && !r.published));
    let pending = unsequenced(records);
    let sequenced = 0;
    let races = 0;
    while (pending.length > 0) {
      const { entries, head } = appendLinks(tip, pending.slice(0, LINKS_PER_BATCH));
      try {
        await store.appendBatch(tip, entries);
      } catch (error) {
        if (!(error instanceof ChainHeadMovedError)) throw error;
        if (++races >= MAX_HEAD_RACES) throw new ChainHeadMovedError({ cause: new Error(`gave up after ${MAX_HEAD_RACES} races`, { cause: error }) });
        // Another writer won: finish its batch, then retry with whatever it left unsequenced.
        tip = await store.tip();
        published += await this.settle(tip);
        pending = unsequenced(await store.loadOutbox(pending.map((r) => r.body.id)));
        continue;
      }
      sequenced += entries.length;
      const fromSeq = tip.seq;
      tip = { ...head, lastBatch: entries.map((e) => e.body.id) };
      published += await this.publish(entries);
      this.settledHash = head.hash;
      if (this.deps.checkpoints?.due(fromSeq, head.seq)) await this.checkpoint(head);
      pending = pending.slice(entries.length);
    }
    return { sequenced, published };
  }

  /** Catches up with every pending outbox event (the schedule's safety net, and the local worker). */
  async drain(): Promise<SequencerResult> {
    let total = { sequenced: 0, published: 0 };
    for (;;) {
      const ids = await this.deps.store.pendingEventIds(DRAIN_PAGE);
      if (ids.length === 0) return total;
      const r = await this.process(ids);
      total = { sequenced: total.sequenced + r.sequenced, published: total.published + r.published };
      if (r.sequenced === 0 && r.published === 0) return total;
    }
  }

  /** The chain is already written: a checkpoint that fails must not stop sequencing. */
  private async checkpoint(head: ChainHead): Promise<void> {
    try {
      await this.deps.checkpoints!.write(head);
    } catch (error) {
      this.deps.onCheckpointError?.(error);
    }
  }

  /** Publishes and marks what the head's last batch left unpublished (a writer that stopped after its transaction). */
  private async settle(tip: ChainTip): Promise<number> {
    if (tip.lastBatch.length === 0 || tip.hash === this.settledHash) return 0;
    const first = tip.seq - tip.lastBatch.length + 1;
    const seqOf = new Map(tip.lastBatch.map((id, i) => [id, first + i]));
    const unpublished = (await this.deps.store.loadOutbox(tip.lastBatch)).filter((r) => !r.published);
    const published = await this.publish(unpublished.map((r) => ({ seq: seqOf.get(r.body.id)!, body: r.body, bodyHash: r.bodyHash })));
    this.settledHash = tip.hash;
    return published;
  }

  /** At least once: published first, marked after, so a crash in between publishes again. */
  private async publish(events: readonly SequencedOutbox[]): Promise<number> {
    if (events.length === 0) return 0;
    const ordered = [...events].sort((a, b) => a.seq - b.seq);
    await this.deps.publisher.publish(ordered.map((e) => ({ seq: e.seq, body: e.body })));
    await this.deps.store.markPublished(ordered);
    return ordered.length;
  }
}

/** Outbox events not yet in the chain: read after `settle`, every sequenced one is marked. */
const unsequenced = (records: readonly OutboxRecord[]): OutboxRecord[] => records.filter((r) => r.seq === undefined);
