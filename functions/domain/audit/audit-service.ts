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
    const { store } = this.deps;
    const newestFirst = query.order === 'desc';
    if (newestFirst && query.after !== undefined) throw new InvalidRequestError('after: pages oldest first; newest first, follow the cursor');
    let page: EntryPage;
    if (newestFirst) {
      // A register reads from the newest event down: the cursor carries the seq to stay below.
      const below = query.cursor ? Number(decodeCursor(query.cursor, { below: 'number' }).below) : Number.MAX_SAFE_INTEGER;
      page = await store.entriesBefore(below, limit, query.subject);
    } else {
      const after = query.cursor ? Number(decodeCursor(query.cursor, { seq: 'number' }).seq) : (query.after ?? 0);
      page = query.subject ? await store.entriesOfSubject(query.subject, after, limit) : await store.entriesAfter(after, limit);
    }
    let items = page.entries.map((e) => this.visibleTo(principal, e));
    // A subject filter is a question about bodies: others' events are left out rather than masked.
    if (query.subject) items = items.filter((e) => e.body !== undefined);
    const people = await this.peopleOf(principal, items);
    const cursor = page.lastSeq === undefined ? undefined : encodeCursor(newestFirst ? { below: page.lastSeq } : { seq: page.lastSeq });
    return { items, ...(cursor ? { cursor } : {}), ...(Object.keys(people).length ? { people } : {}) };
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
