import { GetCommand, TransactWriteCommand, UpdateCommand, DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { checkLinks, GENESIS_HEAD } from '../../functions/domain/audit/chain.ts';
import type { Principal } from '../../functions/domain/model.ts';
import type { AuditEntry } from '../../schemas/index.ts';
import { createTestTable, type TestTable } from '../support/emulators.ts';
import { bootstrapOfficer, servicesOn } from '../support/services.ts';

const partnerRequest = (i: number) => ({ name: `Partner ${i}`, kind: 'private' as const, contactEmail: `p${i}@firm.example` });

describe('audit chain on DynamoDB Local', () => {
  let table: TestTable;
  let s: ReturnType<typeof servicesOn>;
  let officer: Principal;

  beforeAll(async () => {
    table = await createTestTable();
    s = servicesOn(table);
    ({ officer } = await bootstrapOfficer(s.identity));
    await s.sequencer.drain();
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await table.drop();
  });

  it('sequences 50 concurrent state changes without gaps or duplicates, and no change touches a counter', async () => {
    // Arrange: watch every command the changes send
    const sent: { name: string; items: unknown[]; attempts: number }[] = [];
    const send = table.db.send.bind(table.db);
    const spy = vi.spyOn(table.db, 'send').mockImplementation(async (command: unknown) => {
      const out = await send(command as never);
      if (command instanceof TransactWriteCommand) {
        sent.push({ name: 'TransactWrite', items: command.input.TransactItems ?? [], attempts: (out as { $metadata: { attempts?: number } }).$metadata.attempts ?? 1 });
      }
      return out;
    });
    const before = await s.auditStore.head();

    // Act: 50 partners created at once, then the sequencer catches up
    const created = await Promise.all(Array.from({ length: 50 }, (_, i) => s.identity.createPartner(officer, partnerRequest(i))));
    spy.mockRestore();
    const result = await s.sequencer.drain();

    // Assert: one transaction per change, none retried, none touching the chain partition
    expect(created).toHaveLength(50);
    expect(sent).toHaveLength(50);
    expect(sent.every((t) => t.attempts === 1)).toBe(true);
    const touchedKeys = sent.flatMap((t) => t.items.map((i) => JSON.stringify(i)));
    expect(touchedKeys.some((k) => k.includes('"pk":"AUDIT"'))).toBe(false);
    // Two events per partner: partner.created and key.issued
    expect(result.sequenced).toBe(100);
    const { items } = await s.audit.list(officer, { after: before.seq, limit: 500 });
    expect(items.map((e) => e.seq)).toEqual(Array.from({ length: 100 }, (_, i) => before.seq + i + 1));
    expect(new Set(items.map((e) => e.body!.id)).size).toBe(100);
    expect(s.publisher.events.filter((e) => e.seq > before.seq)).toHaveLength(100);
    expect(await s.audit.verify(officer, {})).toMatchObject({ valid: true, head: { seq: before.seq + 100 } });
  });

  it('stays gapless when two sequencers race (stream consumer and schedule catch-up)', async () => {
    const before = await s.auditStore.head();
    await Promise.all(Array.from({ length: 20 }, (_, i) => s.identity.createPartner(officer, partnerRequest(100 + i))));
    const [a, b] = await Promise.all([s.sequencer.drain(), s.sequencer.drain()]);
    expect(a.sequenced + b.sequenced).toBe(40);
    const { items } = await s.audit.list(officer, { after: before.seq, limit: 500 });
    expect(items.map((e) => e.seq)).toEqual(Array.from({ length: 40 }, (_, i) => before.seq + i + 1));
    expect((await s.audit.verify(officer, {})).valid).toBe(true);
  });

  it('ignores a duplicate delivery of the same stream records', async () => {
    const ids = await s.auditStore.pendingEventIds(10);
    expect(ids).toEqual([]);
    const { items } = await s.audit.list(officer, { limit: 3 });
    const again = await s.sequencer.process(items.map((e) => e.body!.id));
    expect(again).toEqual({ sequenced: 0, published: 0 });
  });

  it('verifies a long chain page by page with a cursor', async () => {
    const head = await s.auditStore.head();
    let cursor: string | undefined;
    let events = 0;
    let pages = 0;
    do {
      const page = await s.audit.verify(officer, { limit: 30, ...(cursor ? { cursor } : {}) });
      expect(page.valid).toBe(true);
      events += page.events;
      cursor = page.cursor;
      pages += 1;
    } while (cursor);
    expect(events).toBe(head.seq);
    expect(pages).toBe(Math.ceil(head.seq / 30));
  });

  it('lets a partner verify the whole chain while seeing only the bodies of its own events', async () => {
    // Arrange: a partner with its admin key, and one more event about it
    const { partner, adminKey } = await s.identity.createPartner(officer, partnerRequest(999));
    const admin = (await s.identity.authenticate(`Bearer ${adminKey.key}`))!;
    await s.identity.issueKey(admin, partner.id, { role: 'member', label: 'ci' });
    await s.sequencer.drain();

    // Act: read the whole chain as that partner
    const entries: AuditEntry[] = [];
    let cursor: string | undefined;
    do {
      const page = await s.audit.list(admin, { limit: 100, ...(cursor ? { cursor } : {}) });
      entries.push(...page.items);
      cursor = page.cursor;
    } while (cursor);

    // Assert: every link is there, bodies only where the partner is a party, and the chain checks out
    const head = await s.auditStore.head();
    expect(entries).toHaveLength(head.seq);
    const visible = entries.filter((e) => e.body);
    expect(visible.map((e) => e.body!.action).sort()).toEqual(['key.issued', 'key.issued', 'partner.created']);
    expect(visible.every((e) => e.body!.parties.includes(partner.id))).toBe(true);
    expect(checkLinks(GENESIS_HEAD, entries)).toEqual({ valid: true, head, events: head.seq });
    // A subject filter returns only the partner's own events about that subject
    const bySubject = await s.audit.list(admin, { subject: partner.id });
    expect(bySubject.items.map((e) => e.body!.action)).toEqual(['partner.created']);
  });

  it('reports the first broken seq when a stored event is tampered with', async () => {
    const tampered = 7;
    const key = { pk: 'AUDIT', sk: `SEQ#${String(tampered).padStart(12, '0')}` };
    const { Item } = await table.db.send(new GetCommand({ TableName: table.tableName, Key: key }));
    const forged = JSON.stringify({ ...JSON.parse(Item!.bodyJson), data: { name: 'Someone else' } });
    await table.db.send(new UpdateCommand({ TableName: table.tableName, Key: key, UpdateExpression: 'SET bodyJson = :b', ExpressionAttributeValues: { ':b': forged } }));

    const result = await s.audit.verify(officer, {});

    expect(result).toMatchObject({ valid: false, brokenSeq: tampered, events: tampered - 1, reason: 'body does not match bodyHash' });
    await table.db.send(new UpdateCommand({ TableName: table.tableName, Key: key, UpdateExpression: 'SET bodyJson = :b', ExpressionAttributeValues: { ':b': Item!.bodyJson } }));
    expect((await s.audit.verify(officer, {})).valid).toBe(true);
  });

  it('reports a missing last entry against the chain head', async () => {
    const head = await s.auditStore.head();
    const key = { pk: 'AUDIT', sk: `SEQ#${String(head.seq).padStart(12, '0')}` };
    const { Item } = await table.db.send(new GetCommand({ TableName: table.tableName, Key: key }));
    await table.db.send(new DeleteCommand({ TableName: table.tableName, Key: key }));

    expect(await s.audit.verify(officer, {})).toMatchObject({ valid: false, brokenSeq: head.seq, reason: `entry ${head.seq} is missing` });
    await table.db.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: table.tableName, Item: Item! } }] }));
  });
});
