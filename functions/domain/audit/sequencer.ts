import type { AuditChainStore, DomainEventPublisher, OutboxRecord, StoredAuditEntry } from '../../ports/audit.ts';
import { appendLinks } from './chain.ts';
import { ChainHeadMovedError } from './errors.ts';

/** Links per transaction: head + (entry, outbox update) per link stays under DynamoDB's 100 items. */
const LINKS_PER_TRANSACTION = 40;
const MAX_HEAD_RACES = 8;

export interface SequencerResult {
  readonly sequenced: number;
  readonly published: number;
}

/**
 * The single writer of the chain: gives each outbox event the next `seq` and hash, then forwards it
 * to the bus. State changes only write their outbox item, so they never contend on the head.
 */
export class AuditSequencer {
  constructor(private readonly deps: { store: AuditChainStore; publisher: DomainEventPublisher }) {}

  /** Sequences and publishes the given outbox events (stream records); already-done ones are skipped. */
  async process(eventIds: readonly string[]): Promise<SequencerResult> {
    const unique = [...new Set(eventIds)].sort();
    if (unique.length === 0) return { sequenced: 0, published: 0 };
    const { store } = this.deps;
    let sequenced = 0;
    for (let i = 0; i < unique.length; i += LINKS_PER_TRANSACTION) {
      sequenced += await this.sequenceChunk(unique.slice(i, i + LINKS_PER_TRANSACTION));
    }
    const records = await store.loadOutbox(unique);
    const toPublish = records.filter((r): r is OutboxRecord & { seq: number } => r.seq !== undefined && !r.published);
    if (toPublish.length > 0) {
      await this.deps.publisher.publish(toPublish.map((r) => ({ seq: r.seq, body: r.body })));
      await store.markPublished(toPublish.map((r) => r.body.id));
    }
    return { sequenced, published: toPublish.length };
  }

  /** Catches up with every pending outbox event (the schedule's safety net, and the local worker). */
  async drain(): Promise<SequencerResult> {
    let total = { sequenced: 0, published: 0 };
    for (;;) {
      const ids = await this.deps.store.pendingEventIds(200);
      if (ids.length === 0) return total;
      const r = await this.process(ids);
      total = { sequenced: total.sequenced + r.sequenced, published: total.published + r.published };
      if (r.sequenced === 0 && r.published === 0) return total;
    }
  }

  private async sequenceChunk(ids: readonly string[]): Promise<number> {
    const { store } = this.deps;
    for (let attempt = 0; attempt < MAX_HEAD_RACES; attempt++) {
      const pending = (await store.loadOutbox(ids)).filter((r) => r.seq === undefined);
      if (pending.length === 0) return 0;
      const from = await store.head();
      const { entries, head } = appendLinks(from, pending);
      try {
        await store.appendLinks(from, head, entries satisfies StoredAuditEntry[]);
        return entries.length;
      } catch (error) {
        if (!(error instanceof ChainHeadMovedError)) throw error;
      }
    }
    throw new ChainHeadMovedError({ cause: new Error(`gave up after ${MAX_HEAD_RACES} races`) });
  }
}
