import { DeleteCommand, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuditTrail, systemActor } from '../../functions/domain/audit/audit-trail.ts';
import { systemClock, ulidGenerator } from '../../functions/domain/ids.ts';
import { hashApiKey } from '../../functions/domain/identity/api-keys.ts';
import { LastOfficerKeyError, TerritoryNotBootstrappedError } from '../../functions/domain/identity/errors.ts';
import type { Principal } from '../../functions/domain/model.ts';
import { runBootstrapCommand } from '../../scripts/bootstrap-territory-cli.ts';
import { DynamoPeopleStore } from '../../functions/adapters/dynamo/people-store.ts';
import { PeopleService } from '../../functions/domain/people/people-service.ts';
import { createTestTable, type TestTable } from '../support/emulators.ts';
import { bootstrapOfficer, servicesOn } from '../support/services.ts';

const TERRITORY = { pk: 'TERRITORY', sk: 'TERRITORY' };

describe('officer keys on DynamoDB Local', () => {
  let table: TestTable;
  let s: ReturnType<typeof servicesOn>;
  let officer: Principal;
  let officerKey: string;
  let collectivityId: string;

  const counter = async () => (await table.db.send(new GetCommand({ TableName: table.tableName, Key: TERRITORY, ConsistentRead: true }))).Item?.activeOfficerKeys;
  const issueOfficer = async (by: Principal, label: string) => {
    const issued = await s.identity.issueKey(by, collectivityId, { role: 'officer', label });
    return { ...issued, principal: (await s.identity.authenticate(`Bearer ${issued.key}`))! };
  };
  const activeOfficerKeys = async () => (await s.identity.listKeys(officer, collectivityId, { limit: 100 })).items.filter((k) => k.role === 'officer' && !k.revokedAt);
  /** What a deployment made before the counter existed looks like. */
  const forgetCounter = () => table.db.send(new UpdateCommand({ TableName: table.tableName, Key: TERRITORY, UpdateExpression: 'REMOVE activeOfficerKeys' }));
  /** A revocation written straight into the table, as the race this counter closes could leave it. */
  const revokeDirectly = async (keyId: string, key: string) => {
    await table.db.send(new UpdateCommand({ TableName: table.tableName, Key: { pk: `KEY#${keyId}`, sk: 'KEY' }, UpdateExpression: 'SET revokedAt = :at', ExpressionAttributeValues: { ':at': new Date().toISOString() } }));
    await table.db.send(new DeleteCommand({ TableName: table.tableName, Key: { pk: `APIKEY#${hashApiKey(key)}`, sk: 'APIKEY' } }));
  };
  const settled = async (attempts: Promise<void>[]) => (await Promise.allSettled(attempts)).map((r) => (r.status === 'fulfilled' ? 'revoked' : (r.reason as { code?: string }).code));

  beforeEach(async () => {
    table = await createTestTable();
    s = servicesOn(table);
    ({ officer, officerKey, collectivityId } = await bootstrapOfficer(s.identity));
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await table.drop();
  });

  it('counts officer keys from the bootstrap on: issuing adds one, revoking removes one, the last is refused (409)', async () => {
    // Arrange
    expect(await counter()).toBe(1);
    const deputy = await issueOfficer(officer, 'deputy');
    expect(await counter()).toBe(2);

    // Act
    await s.identity.revokeKey(deputy.principal, officer.keyId);
    const sent = vi.spyOn(table.db, 'send');
    const last = s.identity.revokeKey(deputy.principal, deputy.keyId);

    // Assert: refused by the counter alone, without listing the keys
    await expect(last).rejects.toBeInstanceOf(LastOfficerKeyError);
    expect(sent.mock.calls.filter(([command]) => command instanceof QueryCommand)).toEqual([]);
    expect(await counter()).toBe(1);
    expect(await s.identity.authenticate(`Bearer ${deputy.key}`)).toMatchObject({ role: 'officer' });
  });

  it('lets exactly one of two officer keys revoking each other at the same time succeed, ten times over', async () => {
    let current = officer;
    for (let round = 0; round < 10; round++) {
      // Arrange: exactly two active officer keys, both already authenticated
      const a = await issueOfficer(current, `a${round}`);
      const b = await issueOfficer(current, `b${round}`);
      await s.identity.revokeKey(a.principal, current.keyId);

      // Act
      const outcomes = await settled([s.identity.revokeKey(a.principal, b.keyId), s.identity.revokeKey(b.principal, a.keyId)]);

      // Assert: one revoked, one refused with a 409, and the survivor still works
      expect(outcomes.filter((o) => o === 'revoked'), `round ${round}: ${outcomes}`).toHaveLength(1);
      expect(outcomes.find((o) => o !== 'revoked')).toMatch(/^(last_officer_key|concurrent_change)$/);
      const survivors = [];
      for (const k of [a, b]) if (await s.identity.authenticate(`Bearer ${k.key}`)) survivors.push(k);
      expect(survivors).toHaveLength(1);
      current = survivors[0]!.principal;
      expect(await counter()).toBe(1);
    }
  });

  it('keeps at least one of three officer keys revoking one another at the same time', async () => {
    let current = officer;
    for (let round = 0; round < 5; round++) {
      // Arrange: exactly three active officer keys
      const keys = [await issueOfficer(current, `x${round}`), await issueOfficer(current, `y${round}`), await issueOfficer(current, `z${round}`)];
      await s.identity.revokeKey(keys[0]!.principal, current.keyId);

      // Act: x revokes y, y revokes z, z revokes x
      const outcomes = await settled(keys.map((k, i) => s.identity.revokeKey(k.principal, keys[(i + 1) % 3]!.keyId)));

      // Assert
      const alive = [];
      for (const k of keys) if (await s.identity.authenticate(`Bearer ${k.key}`)) alive.push(k);
      expect(alive.length, `round ${round}: ${outcomes}`).toBeGreaterThanOrEqual(1);
      expect(alive).toHaveLength(3 - outcomes.filter((o) => o === 'revoked').length);
      expect(await counter()).toBe(alive.length);
      current = alive[0]!.principal;
    }
  });

  it('counts the officer keys of a territory bootstrapped before the counter, once, and guards the last one from then on', async () => {
    // Arrange: two active officer keys, one revoked, and no counter
    const deputy = await issueOfficer(officer, 'deputy');
    const gone = await issueOfficer(officer, 'gone');
    await s.identity.revokeKey(officer, gone.keyId);
    await forgetCounter();

    // Act: both remaining keys try to revoke each other at once
    const outcomes = await settled([s.identity.revokeKey(officer, deputy.keyId), s.identity.revokeKey(deputy.principal, officer.keyId)]);

    // Assert
    expect(outcomes.filter((o) => o === 'revoked'), `${outcomes}`).toHaveLength(1);
    expect(await counter()).toBe(1);
    expect(await activeOfficerKeys()).toHaveLength(1);
  });

  it('keeps the count stored first when a slower request counted before a revocation', async () => {
    // Arrange: two officer keys, no counter, and a request whose count is written only after another request counted and revoked
    const deputy = await issueOfficer(officer, 'deputy');
    await forgetCounter();
    const send = table.db.send.bind(table.db);
    let held = false;
    vi.spyOn(table.db, 'send').mockImplementation(async (command: unknown) => {
      if (!held && command instanceof UpdateCommand && command.input.UpdateExpression === 'SET #n = :n') {
        held = true;
        await s.identity.revokeKey(officer, deputy.keyId);
      }
      return send(command as never);
    });

    // Act: the slow request had counted two keys
    const late = s.identity.revokeKey(deputy.principal, officer.keyId);

    // Assert
    await expect(late).rejects.toBeInstanceOf(LastOfficerKeyError);
    expect(held).toBe(true);
    expect(await counter()).toBe(1);
    expect(await s.identity.authenticate(`Bearer ${officerKey}`)).toMatchObject({ role: 'officer' });
  });

  it('does not count a revoked officer key that the index still shows as active', async () => {
    // Arrange: one active officer key, one revoked, no counter, and an index lagging the revocation
    const gone = await issueOfficer(officer, 'gone');
    await s.identity.revokeKey(officer, gone.keyId);
    await forgetCounter();
    const send = table.db.send.bind(table.db);
    vi.spyOn(table.db, 'send').mockImplementation(async (command: unknown) => {
      const out = (await send(command as never)) as { Items?: Record<string, unknown>[] };
      if (command instanceof QueryCommand) out.Items = out.Items?.map(({ revokedAt: _lagging, ...item }) => item);
      return out as never;
    });

    // Act
    const last = s.identity.revokeKey(officer, officer.keyId);

    // Assert
    await expect(last).rejects.toBeInstanceOf(LastOfficerKeyError);
    expect(await counter()).toBe(1);
  });

  it('refuses to store an officer key on a table without territory', async () => {
    // Arrange
    const empty = await createTestTable();
    const store = servicesOn(empty).identityStore;
    const ids = ulidGenerator(systemClock);
    const key = { keyId: ids.next('key'), keyHash: 'f'.repeat(64), partnerId: ids.next('prt'), role: 'officer' as const, label: 'stray', createdAt: new Date().toISOString() };
    const event = new AuditTrail({ clock: systemClock, ids }).record({ actor: systemActor('test'), action: 'key.issued', subject: key.keyId, parties: [key.partnerId] });
    try {
      // Act
      const stored = store.createKey(key, event);

      // Assert
      await expect(stored).rejects.toBeInstanceOf(TerritoryNotBootstrappedError);
      expect((await empty.db.send(new GetCommand({ TableName: empty.tableName, Key: { pk: `KEY#${key.keyId}`, sk: 'KEY' } }))).Item).toBeUndefined();
    } finally {
      await empty.drop();
    }
  });

  it('counts one more officer key when one is issued on a territory without a counter', async () => {
    await forgetCounter();

    await issueOfficer(officer, 'deputy');

    expect(await counter()).toBe(2);
  });

  it('recovers an officer key with --recover when every officer key is gone, with a key.recovered audit event', async () => {
    // Arrange: the only officer key revoked behind the API's back, on a deployment older than the counter
    await forgetCounter();
    await revokeDirectly(officer.keyId, officerKey);
    expect(await s.identity.authenticate(`Bearer ${officerKey}`)).toBeUndefined();
    const out: string[] = [];
    const err: string[] = [];

    // Act
    const code = await runBootstrapCommand({ kind: 'recover' }, { identity: s.identity, operator: 'alice@bastion', out: (l) => out.push(l), err: (l) => err.push(l) });

    // Assert: a working officer key printed once, counted, and recorded in the audit trail
    expect(code).toBe(0);
    expect(err).toEqual([]);
    const printed = out.join('\n').match(/cpt_[A-Za-z0-9_-]+/g);
    expect(printed).toHaveLength(1);
    const recovered = (await s.identity.authenticate(`Bearer ${printed![0]}`))!;
    expect(recovered).toMatchObject({ role: 'officer', partnerId: collectivityId });
    expect(await counter()).toBe(1);
    await s.sequencer.drain();
    const { items } = await s.audit.list(recovered, { subject: recovered.keyId });
    expect(items.map((e) => e.body)).toEqual([
      expect.objectContaining({ action: 'key.recovered', actor: { type: 'system', name: 'break-glass:alice@bastion' }, data: expect.objectContaining({ operator: 'alice@bastion', role: 'officer' }) }),
    ]);
    await expect(s.identity.revokeKey(recovered, recovered.keyId)).rejects.toBeInstanceOf(LastOfficerKeyError);
  });

  it('bootstraps through the command once, then points at --recover', async () => {
    // Arrange
    const empty = await createTestTable();
    const identity = servicesOn(empty).identity;
    const out: string[] = [];
    const err: string[] = [];
    const people = new PeopleService({ people: new DynamoPeopleStore(empty.db, empty.tableName), identity: { getPartner: async (id: string) => identity.getPartner({ keyId: 'k', label: '', partnerId: id, role: 'officer' }, id) }, audit: new AuditTrail({ clock: systemClock, ids: ulidGenerator(systemClock) }), clock: systemClock, ids: ulidGenerator(systemClock) });
    const bootstrap = () => runBootstrapCommand({ kind: 'bootstrap', name: 'Métropole de Test', contactEmail: 'd@m.example', officerEmail: 'agent@m.example' }, { identity, people, operator: 'alice@bastion', out: (l) => out.push(l), err: (l) => err.push(l) });
    try {
      // Act
      const first = await bootstrap();
      const second = await bootstrap();

      // Assert
      expect([first, second]).toEqual([0, 1]);
      const printed = out.join('\n').match(/cpt_[A-Za-z0-9_-]+/g);
      expect(printed).toHaveLength(1);
      expect(await identity.authenticate(`Bearer ${printed![0]}`)).toMatchObject({ role: 'officer' });
      expect(err.join('\n')).toContain('--recover');
      // The first officer is also invited in person, once.
      const collectivityId = (await identity.authenticate(`Bearer ${printed![0]}`))!.partnerId;
      const invited = await new DynamoPeopleStore(empty.db, empty.tableName).personByEmail('agent@m.example');
      expect(invited).toMatchObject({ partnerId: collectivityId, role: 'officer', status: 'invited' });
      expect(out.filter((l) => l.includes('agent@m.example'))).toHaveLength(1);
      // The first officer key speaks as that first officer (four eyes), and dies with them.
      expect((await identity.authenticate(`Bearer ${printed![0]}`))!.personId).toBe(invited!.id);
      await new DynamoPeopleStore(empty.db, empty.tableName).remove(invited!, new AuditTrail({ clock: systemClock, ids: ulidGenerator(systemClock) }).record({ actor: { type: 'system', name: 'test' }, action: 'person.removed', subject: invited!.id, parties: [collectivityId] }));
      expect(await identity.authenticate(`Bearer ${printed![0]}`)).toBeUndefined();
    } finally {
      await empty.drop();
    }
  });

  it('refuses --recover on a table that was never bootstrapped, and writes nothing', async () => {
    // Arrange
    const empty = await createTestTable();
    const err: string[] = [];
    try {
      // Act
      const code = await runBootstrapCommand({ kind: 'recover' }, { identity: servicesOn(empty).identity, operator: 'alice@bastion', out: () => undefined, err: (l) => err.push(l) });

      // Assert
      expect(code).toBe(1);
      expect(err.join('\n')).toContain('no territory');
      expect((await empty.db.send(new GetCommand({ TableName: empty.tableName, Key: TERRITORY }))).Item).toBeUndefined();
    } finally {
      await empty.drop();
    }
  });
});
