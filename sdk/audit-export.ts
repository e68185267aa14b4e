import { compareWithCheckpoints, type CheckpointStatement } from '../contracts/audit-checkpoint.ts';
import { checkLinks, GENESIS_HEAD } from '../functions/domain/audit/chain.ts';
import type { AuditEntry, AuditExport, ChainHead } from '../schemas/index.ts';
import type { ComptoirClient } from './client.ts';

const ENTRY_PAGE = 500;
const CHECKPOINT_PAGE = 500;

/** Reads the signed checkpoints first, then every entry the caller may read: each checkpoint is then covered by the entries. */
export async function exportAudit(api: ComptoirClient, source: string, now: Date = new Date()): Promise<AuditExport> {
  const checkpoints: AuditExport['checkpoints'] = [];
  let key: AuditExport['key'] | undefined;
  let cursor: string | undefined;
  do {
    const page = await api.call('listAuditCheckpoints', { query: { limit: CHECKPOINT_PAGE, ...(cursor ? { cursor } : {}) } });
    key ??= page.key;
    checkpoints.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  const entries: AuditEntry[] = [];
  do {
    const page = await api.call('listAudit', { query: { limit: ENTRY_PAGE, ...(cursor ? { cursor } : {}) } });
    entries.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return { format: 'comptoir-audit-export/1', source, exportedAt: now.toISOString(), key: key!, checkpoints: checkpoints.reverse(), entries };
}

export interface OfflineVerdict {
  readonly valid: boolean;
  readonly events: number;
  readonly head: ChainHead;
  readonly checkpoints: number;
  readonly lastCheckpoint?: CheckpointStatement;
  readonly brokenSeq?: number;
  readonly reason?: string;
  /** The key checked against: the one given (pinned), or the one the export carries. */
  readonly key: { readonly publicKey: string; readonly pinned: boolean };
}

/**
 * Verifies an export with nothing but a public key: every link recomputed, every body held hashed, every
 * checkpoint's signature checked and compared with the entry of its seq. Pass the platform key obtained
 * another way (`pinnedKey`) so that a server rewriting the whole export, key included, is caught too.
 */
export function verifyAuditExport(doc: AuditExport, pinnedKey?: string): OfflineVerdict {
  const publicKey = pinnedKey ?? doc.key.publicKey;
  const key = { publicKey, pinned: pinnedKey !== undefined };
  const links = checkLinks(GENESIS_HEAD, doc.entries);
  const checkpoints = [...doc.checkpoints].sort((a, b) => a.seq - b.seq);
  const signed = compareWithCheckpoints(doc.entries, checkpoints, publicKey);
  const head = links.head;
  const base = { head, key, checkpoints: signed.checked, ...(signed.lastAgreed ? { lastCheckpoint: signed.lastAgreed } : {}) };
  if (!signed.valid && (links.valid || signed.brokenSeq <= links.brokenSeq)) {
    return { ...base, valid: false, events: signed.brokenSeq - 1, brokenSeq: signed.brokenSeq, reason: signed.reason };
  }
  if (!links.valid) return { ...base, valid: false, events: links.events, brokenSeq: links.brokenSeq, reason: links.reason };
  const beyond = checkpoints.at(-1);
  if (beyond && beyond.seq > head.seq) {
    return { ...base, valid: false, events: links.events, brokenSeq: head.seq + 1, reason: `a signed checkpoint of seq ${beyond.seq} exists but the chain ends at seq ${head.seq}` };
  }
  return { ...base, valid: true, events: links.events };
}
