import { describe, expect, it } from 'vitest';
import { digestOf } from '../../contracts/digest.ts';
import { GENESIS_HASH, GENESIS_HEAD, appendLinks, checkLinks, linkHash } from '../../functions/domain/audit/chain.ts';
import type { AuditEventBody } from '../../schemas/index.ts';

const body = (n: number, parties = ['prt_a']): AuditEventBody => ({
  id: `evt_${n}`,
  at: '2026-11-29T10:00:00.000Z',
  actor: { type: 'system', name: 'test' },
  action: 'thing.happened',
  subject: `sub_${n}`,
  parties,
  data: { n },
});
const withHashes = (bodies: AuditEventBody[]) => bodies.map((b) => ({ body: b, bodyHash: digestOf(b) }));

describe('audit hash chain', () => {
  it('links each entry to the previous one: hash = SHA-256(JCS({seq, prevHash, bodyHash}))', () => {
    const { entries, head } = appendLinks(GENESIS_HEAD, withHashes([body(1), body(2)]));
    expect(entries.map((e) => e.seq)).toEqual([1, 2]);
    expect(entries[0]!.prevHash).toBe(GENESIS_HASH);
    expect(entries[1]!.prevHash).toBe(entries[0]!.hash);
    expect(entries[0]!.hash).toBe(digestOf({ bodyHash: entries[0]!.bodyHash, prevHash: GENESIS_HASH, seq: 1 }));
    expect(head).toEqual({ seq: 2, hash: entries[1]!.hash });
  });

  it('continues from an existing head', () => {
    const first = appendLinks(GENESIS_HEAD, withHashes([body(1)]));
    const second = appendLinks(first.head, withHashes([body(2)]));
    expect(second.entries[0]).toMatchObject({ seq: 2, prevHash: first.head.hash });
  });

  it('verifies an intact chain, with or without bodies', () => {
    const { entries, head } = appendLinks(GENESIS_HEAD, withHashes([body(1), body(2), body(3)]));
    expect(checkLinks(GENESIS_HEAD, entries)).toEqual({ valid: true, head, events: 3 });
    const hashesOnly = entries.map(({ body: _b, ...rest }) => rest);
    expect(checkLinks(GENESIS_HEAD, hashesOnly)).toEqual({ valid: true, head, events: 3 });
  });

  const broken = appendLinks(GENESIS_HEAD, withHashes([body(1), body(2), body(3)])).entries;
  it.each([
    ['a body edited', 2, (e: typeof broken) => { e[1] = { ...e[1]!, body: { ...e[1]!.body, data: { n: 99 } } }; }, 'body does not match bodyHash'],
    ['a bodyHash replaced', 2, (e: typeof broken) => { e[1] = { ...e[1]!, bodyHash: 'f'.repeat(64) }; }, 'body does not match bodyHash'],
    ['a hidden body\'s bodyHash replaced', 2, (e: typeof broken) => { const { body: _hidden, ...rest } = e[1]!; e[1] = { ...rest, bodyHash: 'f'.repeat(64) } as typeof rest & { body: never }; }, 'hash does not match'],
    ['an entry removed', 2, (e: typeof broken) => { e.splice(1, 1); }, 'expected seq 2'],
    ['a hash rewritten', 2, (e: typeof broken) => { e[1] = { ...e[1]!, hash: linkHash(2, e[1]!.prevHash, 'f'.repeat(64)) }; }, 'hash does not match'],
  ])('shouldBreak_when %s (first broken seq %i)', (_what, brokenSeq, tamper, reason) => {
    const entries = structuredClone(broken);
    tamper(entries);
    const check = checkLinks(GENESIS_HEAD, entries);
    expect(check.valid).toBe(false);
    expect(check).toMatchObject({ brokenSeq });
    expect(check.valid === false && check.reason).toContain(reason);
  });

  it('breaks when a prevHash does not follow the previous hash', () => {
    const entries = structuredClone(broken);
    entries[2] = { ...entries[2]!, prevHash: GENESIS_HASH };
    expect(checkLinks(GENESIS_HEAD, entries)).toMatchObject({ valid: false, brokenSeq: 3, events: 2 });
  });
});
