import type { SignedCheckpoint } from '../../contracts/audit-checkpoint.ts';
import { CheckpointExistsError } from '../../functions/domain/audit/errors.ts';
import type { CheckpointPage, CheckpointStore } from '../../functions/ports/checkpoints.ts';

/** The checkpoint port in memory, write-once like the bucket, for tests that are not about storage. */
export class MemoryCheckpointStore implements CheckpointStore {
  readonly bySeq = new Map<number, SignedCheckpoint>();

  async put(checkpoint: SignedCheckpoint): Promise<void> {
    if (this.bySeq.has(checkpoint.seq)) throw new CheckpointExistsError(checkpoint.seq);
    this.bySeq.set(checkpoint.seq, structuredClone(checkpoint));
  }
  async get(seq: number) {
    return this.bySeq.get(seq);
  }
  async latest() {
    return this.newestFirst()[0];
  }
  async list(limit: number, belowSeq?: number): Promise<CheckpointPage> {
    const all = this.newestFirst().filter((c) => belowSeq === undefined || c.seq < belowSeq);
    const items = all.slice(0, limit);
    return all.length > limit ? { items, nextBelowSeq: items.at(-1)!.seq } : { items };
  }
  async between(afterSeq: number, upToSeq: number) {
    return this.newestFirst().filter((c) => c.seq > afterSeq && c.seq <= upToSeq).reverse();
  }
  private newestFirst() {
    return [...this.bySeq.values()].sort((a, b) => b.seq - a.seq);
  }
}
