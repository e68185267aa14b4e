import { digestOf } from './digest.ts';
import { verifyEnvelope, type SignatureEnvelope } from './signature.ts';

/** What a checkpoint states: the chain's head at `seq` was `headHash`, as the platform saw it at `at`. */
export interface CheckpointStatement {
  readonly seq: number;
  readonly headHash: string;
  readonly at: string;
}

/** A checkpoint with the platform's Ed25519 signature of {@link checkpointDigest}. */
export interface SignedCheckpoint extends CheckpointStatement {
  readonly signature: SignatureEnvelope;
}

/** The digest the platform signs: SHA-256 of the canonical JSON `{at, headHash, seq}`. */
export function checkpointDigest(c: CheckpointStatement): string {
  return digestOf({ seq: c.seq, headHash: c.headHash, at: c.at });
}

/** Why a checkpoint is not the platform's signature of its own statement, or undefined when it is. */
export function checkpointSignatureProblem(c: SignedCheckpoint, platformPublicKey: string): string | undefined {
  // The envelope names its key: one other than the platform's proves nothing, however valid.
  if (c.signature.publicKey !== platformPublicKey) return `the checkpoint at seq ${c.seq} is signed by another key than the platform's`;
  if (!verifyEnvelope(checkpointDigest(c), c.signature)) return `the checkpoint at seq ${c.seq} has a bad signature`;
  return undefined;
}

export type CheckpointComparison =
  | { readonly valid: true; readonly checked: number; readonly lastAgreed?: CheckpointStatement }
  | { readonly valid: false; readonly checked: number; readonly lastAgreed?: CheckpointStatement; readonly brokenSeq: number; readonly reason: string };

/**
 * Compares a run of links with the signed checkpoints of the same seqs (both in ascending seq order; checkpoints
 * outside the run are ignored). The first problem wins: a checkpoint whose signature fails, or a link whose hash
 * differs from the head a checkpoint signed (some link after `lastAgreed` was rewritten).
 */
export function compareWithCheckpoints(
  links: readonly { readonly seq: number; readonly hash: string }[],
  checkpoints: readonly SignedCheckpoint[],
  platformPublicKey: string,
): CheckpointComparison {
  const first = links[0]?.seq;
  const last = links.at(-1)?.seq;
  let checked = 0;
  let lastAgreed: CheckpointStatement | undefined;
  if (first === undefined || last === undefined) return { valid: true, checked };
  const hashOf = new Map(links.map((l) => [l.seq, l.hash]));
  for (const c of checkpoints) {
    if (c.seq < first || c.seq > last) continue;
    const agreed = lastAgreed ? { lastAgreed } : {};
    const problem = checkpointSignatureProblem(c, platformPublicKey);
    if (problem) return { valid: false, checked, ...agreed, brokenSeq: c.seq, reason: problem };
    if (hashOf.get(c.seq) !== c.headHash) {
      const since = lastAgreed ? `after seq ${lastAgreed.seq}, the last checkpoint it matches` : 'before it';
      return { valid: false, checked, ...agreed, brokenSeq: c.seq, reason: `entry ${c.seq} differs from the signed checkpoint of seq ${c.seq}: the chain was rewritten ${since}` };
    }
    checked += 1;
    lastAgreed = { seq: c.seq, headHash: c.headHash, at: c.at };
  }
  return { valid: true, checked, ...(lastAgreed ? { lastAgreed } : {}) };
}
