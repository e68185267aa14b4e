import type { SignedCheckpoint } from '../../contracts/audit-checkpoint.ts';

export interface CheckpointPage {
  /** Newest first. */
  readonly items: SignedCheckpoint[];
  /** Present when older checkpoints may follow: pass it as `belowSeq`. */
  readonly nextBelowSeq?: number;
}

/** Write-once storage of signed audit checkpoints (an Object Lock bucket in the cloud). */
export interface CheckpointStore {
  /** Stores a new checkpoint; `CheckpointExistsError` when one of the same seq is there (never overwritten). */
  put(checkpoint: SignedCheckpoint): Promise<void>;
  /** The checkpoint of a seq, if any. */
  get(seq: number): Promise<SignedCheckpoint | undefined>;
  /** The checkpoint of the highest seq, if any. */
  latest(): Promise<SignedCheckpoint | undefined>;
  /** Checkpoints of seq below `belowSeq` (all when absent), newest first. */
  list(limit: number, belowSeq?: number): Promise<CheckpointPage>;
  /** Checkpoints with `afterSeq < seq <= upToSeq`, oldest first. */
  between(afterSeq: number, upToSeq: number): Promise<SignedCheckpoint[]>;
}
