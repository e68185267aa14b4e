import { digestOf } from '../../../contracts/digest.ts';
import type { AuditEntry, AuditEventBody, ChainHead } from '../../../schemas/index.ts';

/** `prevHash` of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

export const GENESIS_HEAD: ChainHead = { seq: 0, hash: GENESIS_HASH };

/** The hash of one link: SHA-256 of the canonical JSON `{bodyHash, prevHash, seq}`. */
export function linkHash(seq: number, prevHash: string, bodyHash: string): string {
  return digestOf({ seq, prevHash, bodyHash });
}

/** Appends bodies to a chain head, returning the new links in order. */
export function appendLinks(
  head: ChainHead,
  events: readonly { body: AuditEventBody; bodyHash: string }[],
): { entries: (AuditEntry & { body: AuditEventBody })[]; head: ChainHead } {
  let { seq, hash } = head;
  const entries = events.map(({ body, bodyHash }) => {
    const prevHash = hash;
    seq += 1;
    hash = linkHash(seq, prevHash, bodyHash);
    return { seq, prevHash, bodyHash, hash, body };
  });
  return { entries, head: { seq, hash } };
}

export type ChainCheck =
  | { valid: true; head: ChainHead; events: number }
  | { valid: false; head: ChainHead; events: number; brokenSeq: number; reason: string };

/**
 * Recomputes a run of entries starting after `from`. Bodies, where present, must hash to
 * `bodyHash`; entries without a body (other partners' events) are checked on their hashes only.
 */
export function checkLinks(from: ChainHead, entries: readonly AuditEntry[]): ChainCheck {
  let head = from;
  let events = 0;
  const broken = (seq: number, reason: string): ChainCheck => ({ valid: false, head, events, brokenSeq: seq, reason });
  for (const e of entries) {
    if (e.seq !== head.seq + 1) return broken(head.seq + 1, `expected seq ${head.seq + 1}, found ${e.seq}`);
    if (e.prevHash !== head.hash) return broken(e.seq, 'prevHash does not match the previous entry');
    if (e.body !== undefined && digestOf(e.body) !== e.bodyHash) return broken(e.seq, 'body does not match bodyHash');
    if (linkHash(e.seq, e.prevHash, e.bodyHash) !== e.hash) return broken(e.seq, 'hash does not match seq, prevHash and bodyHash');
    head = { seq: e.seq, hash: e.hash };
    events += 1;
  }
  return { valid: true, head, events };
}
