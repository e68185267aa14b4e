import { StateConflictError } from '../errors.ts';

/** Another sequencer moved the chain head first; the caller reloads and retries. */
export class ChainHeadMovedError extends StateConflictError {
  constructor(options?: ErrorOptions) {
    super('the audit chain head moved during sequencing', 'chain_head_moved', options);
  }
}
