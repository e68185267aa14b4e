import { StateConflictError } from '../errors.ts';

/** Another sequencer moved the chain head first; the caller reloads and retries. */
export class ChainHeadMovedError extends StateConflictError {
  constructor(options?: ErrorOptions) {
    super('the audit chain head moved during sequencing', 'chain_head_moved', options);
  }
}

/** A checkpoint of this seq is already stored; checkpoints are never overwritten. */
export class CheckpointExistsError extends StateConflictError {
  constructor(readonly seq: number, options?: ErrorOptions) {
    super(`a checkpoint of seq ${seq} is already stored and cannot be overwritten`, 'checkpoint_exists', options);
  }
}

/** The head to checkpoint differs from the one a stored checkpoint of the same seq signed: the chain was rewritten. */
export class CheckpointConflictError extends StateConflictError {
  constructor(readonly seq: number, options?: ErrorOptions) {
    super(`the chain head at seq ${seq} differs from its signed checkpoint`, 'checkpoint_conflict', options);
  }
}
