import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BusinessRuleError, ForbiddenError, KeyNotFoundError, PartnerNotFoundError } from '../../functions/domain/errors.ts';
import { KeyAlreadyRevokedError, PartnerAlreadyExistsError } from '../../functions/domain/identity/errors.ts';
import type { Principal } from '../../functions/domain/model.ts';
import { createTestTable, type TestTable } from '../support/emulators.ts';
import { bootstrapOfficer, servicesOn } from '../support/services.ts';

describe('identity on DynamoDB Local', () => {
  let table: TestTable;
  let s: ReturnType<typeof servicesOn>;
  let officer: Principal;
  let collectivityId: string;

  const pendingOutbox = async () =>
    (await table.db.send(new QueryCommand({ TableName: table.tableName, IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :p', ExpressionAttributeValues: { ':p': 'OUTBOX#PENDING' } }))).Count;

  beforeAll(async () => {
    table = await createTestTable();
    s = servicesOn(table);
    ({ officer, collectivityId } = await bootstrapOfficer(s.identity));
  });
  afterAll(() => table.drop());

  it('bootstraps the territory once', async () => {
    expect(await s.identity.bootstrapTerritory({ name: 'Again', contactEmail: 'a@b.example' })).toBeUndefined();
    expect((await s.identity.listPartners(officer, {})).items.filter((p) => p.kind === 'collectivity')).toHaveLength(1);
  });

  it('refuses a second partner with the same SIREN and writes nothing, not even an audit event', async () => {
    await s.identity.createPartner(officer, { name: 'Régie', kind: 'dsp', siren: '812345676', contactEmail: 'r@regie.example' });
    const outboxBefore = await pendingOutbox();
    const partnersBefore = (await s.identity.listPartners(officer, {})).items.length;

    await expect(
      s.identity.createPartner(officer, { name: 'Copy', kind: 'dsp', siren: '812345676', contactEmail: 'c@copy.example' }),
    ).rejects.toBeInstanceOf(PartnerAlreadyExistsError);

    expect(await pendingOutbox()).toBe(outboxBefore);
    expect((await s.identity.listPartners(officer, {})).items).toHaveLength(partnersBefore);
  });

  it('revokes a key so that it stops authenticating at once, and only once', async () => {
    const { partner, adminKey } = await s.identity.createPartner(officer, { name: 'Firm', kind: 'private', contactEmail: 'f@firm.example' });
    const admin = (await s.identity.authenticate(`Bearer ${adminKey.key}`))!;
    const member = await s.identity.issueKey(admin, partner.id, { role: 'member', label: 'script' });
    expect(await s.identity.authenticate(`Bearer ${member.key}`)).toMatchObject({ role: 'member', partnerId: partner.id });

    await s.identity.revokeKey(admin, member.keyId);

    expect(await s.identity.authenticate(`Bearer ${member.key}`)).toBeUndefined();
    await expect(s.identity.revokeKey(officer, member.keyId)).rejects.toBeInstanceOf(KeyAlreadyRevokedError);
    const keys = await s.identity.listKeys(admin, partner.id, {});
    expect(keys.items.find((k) => k.keyId === member.keyId)?.revokedAt).toBeDefined();
    expect(keys.items.every((k) => !('keyHash' in k))).toBe(true);
  });

  it('keeps partners apart: 404 for the others, 403 for members managing keys', async () => {
    const a = await s.identity.createPartner(officer, { name: 'A', kind: 'public', contactEmail: 'a@a.example' });
    const b = await s.identity.createPartner(officer, { name: 'B', kind: 'private', contactEmail: 'b@b.example' });
    const adminA = (await s.identity.authenticate(`Bearer ${a.adminKey.key}`))!;
    const memberA = (await s.identity.authenticate(`Bearer ${(await s.identity.issueKey(adminA, a.partner.id, { role: 'member', label: 'm' })).key}`))!;

    await expect(s.identity.getPartner(adminA, b.partner.id)).rejects.toBeInstanceOf(PartnerNotFoundError);
    await expect(s.identity.issueKey(adminA, b.partner.id, { role: 'member', label: 'x' })).rejects.toBeInstanceOf(PartnerNotFoundError);
    await expect(s.identity.revokeKey(adminA, b.adminKey.keyId)).rejects.toBeInstanceOf(KeyNotFoundError);
    await expect(s.identity.issueKey(memberA, a.partner.id, { role: 'member', label: 'x' })).rejects.toBeInstanceOf(ForbiddenError);
    expect((await s.identity.listPartners(adminA, {})).items.map((p) => p.id)).toEqual([a.partner.id]);
  });

  it('gives the officer role to collectivity keys only, and never revokes the last officer key', async () => {
    await expect(s.identity.issueKey(officer, collectivityId, { role: 'admin', label: 'x' })).rejects.toBeInstanceOf(BusinessRuleError);
    await expect(s.identity.revokeKey(officer, officer.keyId)).rejects.toMatchObject({ code: 'last_officer_key' });
    const second = await s.identity.issueKey(officer, collectivityId, { role: 'officer', label: 'deputy' });
    await s.identity.revokeKey(officer, second.keyId);
    expect(await s.identity.authenticate(`Bearer ${second.key}`)).toBeUndefined();
  });

  it('pages the partner list with an opaque cursor', async () => {
    const all = (await s.identity.listPartners(officer, { limit: 100 })).items.map((p) => p.id);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await s.identity.listPartners(officer, { limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((p) => p.id));
      cursor = page.cursor;
    } while (cursor);
    expect(seen).toEqual(all);
    await expect(s.identity.listKeys(officer, collectivityId, { cursor: (await s.identity.listPartners(officer, { limit: 1 })).cursor! })).rejects.toMatchObject({ code: 'invalid_request' });
  });
});
