import { checkpointDigest, type SignedCheckpoint } from '../../../contracts/audit-checkpoint.ts';
import type { ChainHead } from '../../../schemas/index.ts';
import type { CheckpointStore } from '../../ports/checkpoints.ts';
import type { Signer } from '../../ports/signer.ts';
import type { Clock } from '../../ports/time.ts';
import { CheckpointConflictError, CheckpointExistsError } from './errors.ts';

/** Events between two checkpoints the sequencer writes, unless configured otherwise. */
export const DEFAULT_CHECKPOINT_EVERY = 1000;

/**
 * Signs the chain head with the platform key and stores it write-once, so a later rewrite of the table
 * (every hash recomputed) still disagrees with a signature nobody but the platform key can make.
 */
export class AuditCheckpointer {
  /** Writes in this process go one at a time: the sequencer and the schedule may reach the same head. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deps: { store: CheckpointStore; signer: Signer; clock: Clock; chain: { head(): Promise<ChainHead> }; every: number },
  ) {
    if (!Number.isSafeInteger(deps.every) || deps.every < 1) throw new RangeError(`COMPTOIR_AUDIT_CHECKPOINT_EVERY must be a positive whole number of events, not ${deps.every}`);
  }

  /** True when a batch moving the head from `fromSeq` to `toSeq` passes a multiple of N: arithmetic only, no I/O. */
  due(fromSeq: number, toSeq: number): boolean {
    return Math.floor(toSeq / this.deps.every) > Math.floor(fromSeq / this.deps.every);
  }

  /** Signs and stores a checkpoint of `head`; one already stored for the same head counts as written. */
  write(head: ChainHead): Promise<SignedCheckpoint> {
    const run = this.queue.then(() => this.writeNow(head));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The schedule's pass: a checkpoint of the head when the chain moved since the latest one. */
  async checkpointIfMoved(): Promise<SignedCheckpoint | undefined> {
    const [head, latest] = await Promise.all([this.deps.chain.head(), this.deps.store.latest()]);
    if (head.seq === 0 || (latest && latest.seq >= head.seq)) return undefined;
    return this.write(head);
  }

  private async writeNow(head: ChainHead): Promise<SignedCheckpoint> {
    const statement = { seq: head.seq, headHash: head.hash, at: this.deps.clock.now().toISOString() };
    const checkpoint: SignedCheckpoint = { ...statement, signature: await this.deps.signer.sign(checkpointDigest(statement)) };
    try {
      await this.deps.store.put(checkpoint);
      return checkpoint;
    } catch (error) {
      if (!(error instanceof CheckpointExistsError)) throw error;
      const stored = await this.deps.store.get(head.seq);
      if (stored?.headHash !== head.hash) throw new CheckpointConflictError(head.seq, { cause: error });
      return stored;
    }
  }
}
