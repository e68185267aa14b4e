import type { AuditEntry, AuditList, AuditQuery, AuditVerify, AuditVerifyQuery } from '../../../schemas/index.ts';
import type { AuditChainStore, StoredAuditEntry } from '../../ports/audit.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { isOfficer, type Principal } from '../model.ts';
import { GENESIS_HEAD, checkLinks } from './chain.ts';

const DEFAULT_PAGE = 100;
const VERIFY_READ_PAGE = 500;
const DEFAULT_VERIFY_LIMIT = 5000;

/** Reading and verifying the audit chain, with bodies shown only to their parties and officers. */
export class AuditService {
  constructor(private readonly deps: { store: AuditChainStore }) {}

  async list(principal: Principal, query: AuditQuery): Promise<AuditList> {
    const after = query.cursor ? Number(decodeCursor(query.cursor, { seq: 'number' }).seq) : (query.after ?? 0);
    const limit = query.limit ?? DEFAULT_PAGE;
    const { store } = this.deps;
    const page = query.subject
      ? await store.entriesOfSubject(query.subject, after, limit)
      : await store.entriesAfter(after, limit);
    let items = page.entries.map((e) => this.visibleTo(principal, e));
    // A subject filter is a question about bodies: others' events are left out rather than masked.
    if (query.subject) items = items.filter((e) => e.body !== undefined);
    return { items, ...(page.lastSeq !== undefined ? { cursor: encodeCursor({ seq: page.lastSeq }) } : {}) };
  }

  /** Recomputes every link (bodies included) from the cursor on; reports the first broken seq. */
  async verify(_principal: Principal, query: AuditVerifyQuery): Promise<AuditVerify> {
    const { store } = this.deps;
    const from = query.cursor ? decodeCursor(query.cursor, { seq: 'number', hash: 'string' }) : GENESIS_HEAD;
    let head = { seq: Number(from.seq), hash: String(from.hash) };
    const limit = query.limit ?? DEFAULT_VERIFY_LIMIT;
    const storedHead = await store.head();
    let events = 0;
    for (;;) {
      const page = await store.entriesAfter(head.seq, Math.min(VERIFY_READ_PAGE, limit - events));
      const check = checkLinks(head, page.entries);
      events += check.events;
      if (!check.valid) return { valid: false, events, head: storedHead, brokenSeq: check.brokenSeq, reason: check.reason };
      head = check.head;
      if (page.lastSeq === undefined) break;
      if (events >= limit) return { valid: true, events, head: storedHead, cursor: encodeCursor(head) };
    }
    if (head.seq < storedHead.seq) {
      return { valid: false, events, head: storedHead, brokenSeq: head.seq + 1, reason: `entry ${head.seq + 1} is missing` };
    }
    if (head.seq === storedHead.seq && head.hash !== storedHead.hash) {
      return { valid: false, events, head: storedHead, brokenSeq: head.seq, reason: 'last entry does not match the chain head' };
    }
    return { valid: true, events, head: storedHead };
  }

  private visibleTo(principal: Principal, e: StoredAuditEntry): AuditEntry {
    const base = { seq: e.seq, prevHash: e.prevHash, bodyHash: e.bodyHash, hash: e.hash };
    return isOfficer(principal) || e.body.parties.includes(principal.partnerId) ? { ...base, body: e.body } : base;
  }
}
