import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLinks, GENESIS_HEAD } from '../../functions/domain/audit/chain.ts';
import type { AuditEntry } from '../../schemas/index.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

describe('audit over HTTP on the local runtime', () => {
  let t: TestRuntime;
  beforeAll(async () => {
    t = await startTestRuntime();
  });
  afterAll(() => t.stop());

  it('records each change and lets every partner verify the chain with only its own bodies', async () => {
    // Arrange: a few changes by different partners
    await t.call('POST', `/v1/partners/${t.keys.dsp.partnerId}/keys`, { key: t.keys.dsp.key, body: { role: 'member', label: 'deliveries' } });
    await t.call('POST', `/v1/partners/${t.keys.private.partnerId}/keys`, { key: t.keys.private.key, body: { role: 'member', label: 'app' } });
    await t.runtime.settle();

    // Act: the private firm reads the whole chain, page by page
    const entries: AuditEntry[] = [];
    let cursor: string | undefined;
    do {
      const page = await t.call('GET', `/v1/audit?limit=3${cursor ? `&cursor=${cursor}` : ''}`, { key: t.keys.private.key });
      expect(page.status).toBe(200);
      entries.push(...page.body.items);
      cursor = page.body.cursor;
    } while (cursor);

    // Assert
    const verify = await t.call('GET', '/v1/audit/verify', { key: t.keys.private.key });
    expect(verify.body).toMatchObject({ valid: true, events: entries.length });
    expect(checkLinks(GENESIS_HEAD, entries)).toMatchObject({ valid: true, head: verify.body.head });
    const own = entries.filter((e) => e.body);
    expect(own.length).toBeGreaterThanOrEqual(3);
    expect(own.every((e) => e.body!.parties.includes(t.keys.private.partnerId))).toBe(true);
    expect(entries.some((e) => !e.body)).toBe(true);
    const officerView = await t.call('GET', '/v1/audit?limit=500', { key: t.keys.officer.key });
    expect(officerView.body.items.every((e: AuditEntry) => e.body)).toBe(true);
  });

  it('reads newest first as a register, page by page, over the whole chain or one subject', async () => {
    // Arrange
    const read = async (query: string) => {
      const seqs: number[] = [];
      let cursor: string | undefined;
      do {
        const page = await t.call('GET', `/v1/audit?limit=2&${query}${cursor ? `&cursor=${cursor}` : ''}`, { key: t.keys.officer.key });
        expect(page.status, JSON.stringify(page.body)).toBe(200);
        seqs.push(...page.body.items.map((e: AuditEntry) => e.seq));
        cursor = page.body.cursor;
      } while (cursor);
      return seqs;
    };
    const subject = t.keys.dsp.partnerId;

    // Act
    const [oldest, newest, subjectOldest, subjectNewest] = await Promise.all([read('order=asc'), read('order=desc'), read(`subject=${subject}`), read(`subject=${subject}&order=desc`)]);

    // Assert: the same events, in the reverse order
    expect(oldest.length).toBeGreaterThan(4);
    expect(newest).toEqual([...oldest].reverse());
    expect(subjectOldest.length).toBeGreaterThan(0);
    expect(subjectNewest).toEqual([...subjectOldest].reverse());
    // A cursor of one order is refused by the other, and `after` means nothing newest first.
    const ascCursor = (await t.call('GET', '/v1/audit?limit=1', { key: t.keys.officer.key })).body.cursor;
    expect((await t.call('GET', `/v1/audit?order=desc&cursor=${ascCursor}`, { key: t.keys.officer.key })).status).toBe(400);
    expect((await t.call('GET', '/v1/audit?order=desc&after=3', { key: t.keys.officer.key })).status).toBe(400);
  });

  it('filters the register by party and by period, page by page, never showing a body the caller may not read', async () => {
    // Arrange: every event, oldest first, as the officer sees them
    const all: AuditEntry[] = (await t.call('GET', '/v1/audit?limit=500', { key: t.keys.officer.key })).body.items;
    const read = async (key: string, query: string) => {
      const items: AuditEntry[] = [];
      let cursor: string | undefined;
      do {
        const page = await t.call('GET', `/v1/audit?limit=2&${query}${cursor ? `&cursor=${cursor}` : ''}`, { key });
        expect(page.status, JSON.stringify(page.body)).toBe(200);
        items.push(...page.body.items);
        cursor = page.body.cursor;
      } while (cursor);
      return items.map((e) => e.seq);
    };
    const party = t.keys.private.partnerId;
    const middle = all[Math.floor(all.length / 2)]!.body!.at;
    const last = all.at(-1)!.body!.at;
    const seqsWhere = (keep: (e: AuditEntry) => boolean) => all.filter(keep).map((e) => e.seq);

    // Act
    const [byParty, byPartyNewest, byPeriod, byPeriodNewest, asPartner] = await Promise.all([
      read(t.keys.officer.key, `party=${party}`),
      read(t.keys.officer.key, `party=${party}&order=desc`),
      read(t.keys.officer.key, `since=${middle}&until=${last}`),
      read(t.keys.officer.key, `since=${middle}&order=desc`),
      read(t.keys.dsp.key, `party=${party}`),
    ]);

    // Assert
    expect(byParty.length).toBeGreaterThan(0);
    expect(byParty).toEqual(seqsWhere((e) => e.body!.parties.includes(party)));
    expect(byPartyNewest).toEqual([...byParty].reverse());
    expect(byPeriod).toEqual(seqsWhere((e) => e.body!.at >= middle && e.body!.at <= last));
    expect(byPeriodNewest).toEqual([...seqsWhere((e) => e.body!.at >= middle)].reverse());
    // Another partner sees only the events it is a party to as well.
    expect(asPartner).toEqual(seqsWhere((e) => e.body!.parties.includes(party) && e.body!.parties.includes(t.keys.dsp.partnerId)));
    expect((await t.call('GET', `/v1/audit?since=${last}&until=${middle}`, { key: t.keys.officer.key })).status).toBe(400);
  });
});
