import { compareWithCheckpoints, type CheckpointStatement } from '../../../contracts/audit-checkpoint.ts';
import type { AuditCheckpointList, AuditCheckpointQuery, AuditEntry, AuditList, AuditQuery, AuditVerify, AuditVerifyQuery, PlatformKey } from '../../../schemas/index.ts';
import type { AuditChainStore, EntryPage, StoredAuditEntry } from '../../ports/audit.ts';
import type { PeopleStore } from '../../ports/people.ts';
import type { CheckpointStore } from '../../ports/checkpoints.ts';
import type { Signer } from '../../ports/signer.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { InvalidRequestError } from '../errors.ts';
import { isOfficer, type Principal } from '../model.ts';
import { GENESIS_HEAD, checkLinks } from './chain.ts';

const DEFAULT_PAGE = 100;
const VERIFY_READ_PAGE = 500;
const DEFAULT_VERIFY_LIMIT = 5000;
const DEFAULT_CHECKPOINT_PAGE = 100;
/** Entries read per store call, and at most per request, when filtering by party or period. */
const FILTER_READ_PAGE = 200;
const FILTER_READ_BUDGET = 2000;
/** Events are sequenced after they happen: near a period's edge, order by seq and order by time may differ by this much. */
const SEQUENCING_SKEW_MS = 5 * 60_000;

/**
 * The party and period filters as one test of a stored entry: `keep`, `skip`, or `done` once the reading
 * direction has passed the period (beyond the sequencing skew). Undefined without such filters.
 */
function auditFilter(query: AuditQuery): ((e: StoredAuditEntry, newestFirst: boolean) => 'keep' | 'skip' | 'done') | undefined {
  const since = query.since ? Date.parse(query.since) : undefined;
  const until = query.until ? Date.parse(query.until) : undefined;
  if (query.party === undefined && since === undefined && until === undefined) return undefined;
  return (e, newestFirst) => {
    const at = Date.parse(e.body.at);
    if (newestFirst && since !== undefined && at < since - SEQUENCING_SKEW_MS) return 'done';
    if (!newestFirst && until !== undefined && at > until + SEQUENCING_SKEW_MS) return 'done';
    if ((since !== undefined && at < since) || (until !== undefined && at > until)) return 'skip';
    return query.party === undefined || e.body.parties.includes(query.party) ? 'keep' : 'skip';
  };
}

/** Reading and verifying the audit chain, with bodies shown only to their parties and officers. */
export class AuditService {
  constructor(private readonly deps: { store: AuditChainStore; checkpoints: CheckpointStore; signer: Pick<Signer, 'publicKey'>; people?: Pick<PeopleStore, 'getPerson'> }) {}

  /** Signed checkpoints, newest first, with the platform key that verifies them. */
  async listCheckpoints(_principal: Principal, query: AuditCheckpointQuery): Promise<AuditCheckpointList> {
    const below = query.cursor ? Number(decodeCursor(query.cursor, { below: 'number' }).below) : undefined;
    const [page, key] = await Promise.all([this.deps.checkpoints.list(query.limit ?? DEFAULT_CHECKPOINT_PAGE, below), this.platformKey()]);
    return { items: page.items, key, ...(page.nextBelowSeq !== undefined ? { cursor: encodeCursor({ below: page.nextBelowSeq }) } : {}) };
  }

  private async platformKey(): Promise<PlatformKey> {
    const { kid, publicKey } = await this.deps.signer.publicKey();
    return { alg: 'Ed25519', kid, publicKey };
  }

  async list(principal: Principal, query: AuditQuery): Promise<AuditList> {
    const limit = query.limit ?? DEFAULT_PAGE;
    const newestFirst = query.order === 'desc';
    if (newestFirst && query.after !== undefined) throw new InvalidRequestError('after: pages oldest first; newest first, follow the cursor');
    if (query.since && query.until && Date.parse(query.since) > Date.parse(query.until)) throw new InvalidRequestError('since: after until');
    const filter = auditFilter(query);
    let position = newestFirst
      ? query.cursor ? Number(decodeCursor(query.cursor, { below: 'number' }).below) : Number.MAX_SAFE_INTEGER
      : query.cursor ? Number(decodeCursor(query.cursor, { seq: 'number' }).seq) : (query.after ?? 0);
    const items: AuditEntry[] = [];
    let more = true;
    // Filters other than the subject's index are applied to what is read, within a budget per call.
    for (let read = 0; more && items.length < limit && read < (filter ? FILTER_READ_BUDGET : 1); ) {
      const want = filter ? FILTER_READ_PAGE : limit;
      const page = await this.read(newestFirst, position, want, query.subject);
      more = page.lastSeq !== undefined;
      for (const entry of page.entries) {
        const visible = this.visibleTo(principal, entry);
        position = entry.seq;
        read += 1;
        const verdict = filter ? filter(entry, newestFirst) : 'keep';
        if (verdict === 'done') {
          more = false;
          break;
        }
        // A filtered question is about bodies: others' events are left out rather than masked.
        if (verdict === 'keep' && (visible.body || (!query.subject && !filter))) items.push(visible);
        if (items.length === limit) {
          more = more || entry !== page.entries.at(-1);
          break;
        }
      }
      if (!filter) break;
    }
    const people = await this.peopleOf(principal, items);
    const cursor = more ? encodeCursor(newestFirst ? { below: position } : { seq: position }) : undefined;
    return { items, ...(cursor ? { cursor } : {}), ...(Object.keys(people).length ? { people } : {}) };
  }

  private read(newestFirst: boolean, position: number, limit: number, subject: string | undefined): Promise<EntryPage> {
    const { store } = this.deps;
    if (newestFirst) return store.entriesBefore(position, limit, subject);
    return subject ? store.entriesOfSubject(subject, position, limit) : store.entriesAfter(position, limit);
  }

  /** Names the people behind the visible events: officers learn everyone, a partner only its own people. */
  private async peopleOf(principal: Principal, items: readonly AuditEntry[]): Promise<NonNullable<AuditList['people']>> {
    if (!this.deps.people) return {};
    const ids = [...new Set(items.flatMap((e) => (e.body?.actor.type === 'person' ? [e.body.actor.personId] : [])))];
    const found = await Promise.all(ids.map((id) => this.deps.people!.getPerson(id)));
    const people: NonNullable<AuditList['people']> = {};
    for (const person of found) {
      if (!person || (!isOfficer(principal) && person.partnerId !== principal.partnerId)) continue;
      people[person.id] = { email: person.email, partnerId: person.partnerId, ...(person.name ? { name: person.name } : {}), ...(person.subject ? { subject: person.subject } : {}) };
    }
    return people;
  }

  /**
   * Recomputes every link (bodies included) from the cursor on, and compares it with every signed checkpoint
   * of the same seqs; reports the first broken seq, whichever check finds it.
   */
  async verify(_principal: Principal, query: AuditVerifyQuery): Promise<AuditVerify> {
    const { store, checkpoints } = this.deps;
    const from = query.cursor ? decodeCursor(query.cursor, { seq: 'number', hash: 'string' }) : GENESIS_HEAD;
    let head = { seq: Number(from.seq), hash: String(from.hash) };
    const limit = query.limit ?? DEFAULT_VERIFY_LIMIT;
    const [storedHead, { publicKey }] = await Promise.all([store.head(), this.deps.signer.publicKey()]);
    let events = 0;
    let checked = 0;
    let lastCheckpoint: CheckpointStatement | undefined;
    const outcome = (rest: Partial<AuditVerify> & { valid: boolean }): AuditVerify => ({ events, head: storedHead, checkpoints: checked, ...(lastCheckpoint ? { lastCheckpoint } : {}), ...rest });
    for (;;) {
      const page = await store.entriesAfter(head.seq, Math.min(VERIFY_READ_PAGE, limit - events));
      const last = page.entries.at(-1)?.seq ?? head.seq;
      const check = checkLinks(head, page.entries);
      const signed = compareWithCheckpoints(page.entries, await checkpoints.between(head.seq, last), publicKey);
      checked += signed.checked;
      if (signed.lastAgreed) lastCheckpoint = signed.lastAgreed;
      if (!signed.valid && (check.valid || signed.brokenSeq <= check.brokenSeq)) {
        events += signed.brokenSeq - head.seq - 1;
        return outcome({ valid: false, brokenSeq: signed.brokenSeq, reason: signed.reason });
      }
      events += check.events;
      if (!check.valid) return outcome({ valid: false, brokenSeq: check.brokenSeq, reason: check.reason });
      head = check.head;
      if (page.lastSeq === undefined) break;
      if (events >= limit) return outcome({ valid: true, cursor: encodeCursor(head) });
    }
    if (head.seq < storedHead.seq) {
      return outcome({ valid: false, brokenSeq: head.seq + 1, reason: `entry ${head.seq + 1} is missing` });
    }
    if (head.seq === storedHead.seq && head.hash !== storedHead.hash) {
      return outcome({ valid: false, brokenSeq: head.seq, reason: 'last entry does not match the chain head' });
    }
    // A checkpoint past the end (and past the head now: the chain may have grown meanwhile) proves entries were removed.
    const beyond = await checkpoints.latest();
    if (beyond && beyond.seq > head.seq && (await store.head()).seq < beyond.seq) {
      return outcome({ valid: false, brokenSeq: head.seq + 1, reason: `a signed checkpoint of seq ${beyond.seq} exists but the chain ends at seq ${head.seq}` });
    }
    return outcome({ valid: true });
  }

  private visibleTo(principal: Principal, e: StoredAuditEntry): AuditEntry {
    const base = { seq: e.seq, prevHash: e.prevHash, bodyHash: e.bodyHash, hash: e.hash };
    return isOfficer(principal) || e.body.parties.includes(principal.partnerId) ? { ...base, body: e.body } : base;
  }
}
