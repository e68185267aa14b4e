import type { AuditEntry, AuditEventBody, ChainHead } from '../../schemas/index.ts';

/** An outbox item as the sequencer reads it. */
export interface OutboxRecord {
  readonly body: AuditEventBody;
  readonly bodyHash: string;
  readonly seq?: number;
  readonly published: boolean;
}

/** The chain head as the sequencer sees it, with the ids of the batch that moved it there (in chain order). */
export interface ChainTip extends ChainHead {
  readonly lastBatch: readonly string[];
}

/** A sequenced outbox event ready to leave the pending index once it is on the bus. */
export interface SequencedOutbox {
  readonly seq: number;
  readonly body: AuditEventBody;
  readonly bodyHash: string;
}

/** A sequenced link with its body (the store holds every body; the service decides who sees it). */
export type StoredAuditEntry = AuditEntry & { body: AuditEventBody };

export interface EntryPage {
  readonly entries: StoredAuditEntry[];
  /** Present when more entries may follow. */
  readonly lastSeq?: number;
}

/** Persistence of the outbox and of the sequenced chain. */
export interface AuditChainStore {
  /** Ids of outbox events not yet sequenced or not yet published, oldest first. */
  pendingEventIds(limit: number): Promise<string[]>;
  loadOutbox(ids: readonly string[]): Promise<OutboxRecord[]>;
  /** The last fully written link (every entry up to it exists). */
  head(): Promise<ChainHead>;
  tip(): Promise<ChainTip>;
  /**
   * Writes a batch of consecutive links and moves the head from `from` to the last of them, recording
   * their ids as its last batch, in one transaction; `ChainHeadMovedError` if another writer won.
   */
  appendBatch(from: ChainHead, entries: readonly StoredAuditEntry[]): Promise<void>;
  /** Records events as sequenced and published: they leave the pending index. */
  markPublished(events: readonly SequencedOutbox[]): Promise<void>;
  entriesAfter(seq: number, limit: number): Promise<EntryPage>;
  entriesOfSubject(subject: string, afterSeq: number, limit: number): Promise<EntryPage>;
  /** Entries below `seq`, newest first, of one subject when given; `lastSeq` is the next page's bound. */
  entriesBefore(seq: number, limit: number, subject?: string): Promise<EntryPage>;
}

/** A domain event as forwarded to the bus: the audit body and its place in the chain. */
export interface DomainEvent {
  readonly seq: number;
  readonly body: AuditEventBody;
}

/** The event bus (EventBridge in the cloud, in-process locally). */
export interface DomainEventPublisher {
  publish(events: readonly DomainEvent[]): Promise<void>;
}
