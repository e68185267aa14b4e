import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../functions/adapters/dynamo/client.ts';
import { pendingOfferKey, pendingTotalKey } from '../../functions/adapters/dynamo/licence-index-items.ts';
import { backfillLicenceStatePointers } from '../../functions/adapters/dynamo/licence-state-backfill.ts';
import { DynamoLicenceStore } from '../../functions/adapters/dynamo/licence-store.ts';
import { AuditTrail, systemActor } from '../../functions/domain/audit/audit-trail.ts';
import { systemClock, ulidGenerator } from '../../functions/domain/ids.ts';
import type { LicenceState } from '../../schemas/index.ts';
import type { StoredLicence } from '../../functions/ports/licensing.ts';
import { createTestTable, type TestTable } from '../support/emulators.ts';

const LICENSOR = 'prt_licensor';
const LICENSEE = 'prt_licensee';

describe('per-state licence lists and pending slots on DynamoDB Local', () => {
  let table: TestTable;
  let store: DynamoLicenceStore;
  const ids = ulidGenerator(systemClock);
  const audit = new AuditTrail({ clock: systemClock, ids });
  const event = (subject: string) => audit.record({ actor: systemActor('test'), action: 'licence.test', subject, parties: [LICENSOR, LICENSEE] });

  const licence = (state: LicenceState, offerId = 'off_1'): StoredLicence => {
    const at = systemClock.now().toISOString();
    return {
      id: ids.next('lic'), state, offerId, datasetId: 'ds_1',
      licensor: { id: LICENSOR, name: 'Régie', kind: 'dsp' }, licensee: { id: LICENSEE, name: 'Firme', kind: 'private' },
      purpose: 'planning', clauses: [], texts: { fr: [], en: [] }, policy: { version: 0, appliedRules: [] }, requiresApproval: false,
      history: [{ state, at, by: 'test' }], createdAt: at, pseudonymKey: 'k',
    } as StoredLicence;
  };
  /** A licence as the previous version stored it: no state pointers, no pending slot. */
  const storeOld = async (l: StoredLicence) => {
    await table.db.send(new PutCommand({ TableName: table.tableName, Item: { pk: `LICENCE#${l.id}`, sk: 'LICENCE', ...l, gsi1pk: 'LICENCES', gsi1sk: l.id, gsi2pk: `LICENCESTATE#${l.state}`, gsi2sk: l.id } }));
    for (const p of [LICENSOR, LICENSEE]) await table.db.send(new PutCommand({ TableName: table.tableName, Item: { pk: `PARTY#${p}#LICENCES`, sk: l.id, licenceId: l.id } }));
    return l;
  };
  const listed = async (partnerId: string, state: LicenceState) => (await store.listByParty(partnerId, {}, state)).items.map((l) => l.id);
  const counter = async (key: Record<string, string>) => (await table.db.send(new GetCommand({ TableName: table.tableName, Key: key, ConsistentRead: true }))).Item?.pending as number | undefined;
  const move = (id: string, from: LicenceState[], to: LicenceState) => store.transition(id, { from, to, at: systemClock.now().toISOString(), by: 'test' }, event(id));

  beforeAll(async () => {
    table = await createTestTable();
    store = new DynamoLicenceStore(table.db, table.tableName);
  });
  afterAll(() => table.drop());

  it('gives older licences their state pointers once, and the pointer of its new state to one that moves during the backfill', async () => {
    // Arrange: three licences from before the lists; one of them is revoked just as the backfill writes its pointers
    const [active, pending, moving] = [await storeOld(licence('active')), await storeOld(licence('pending_approval')), await storeOld(licence('awaiting_signature'))];
    expect(await listed(LICENSOR, 'active')).toEqual([]);
    const other = createDocumentClient({ endpoint: table.endpoint });
    let raced = false;
    table.db.middlewareStack.add(
      (next, context) => async (args) => {
        const first = (args.input as { TransactItems?: { ConditionCheck?: { Key: { pk: string } } }[] }).TransactItems?.[0];
        if (context.commandName === 'TransactWriteItemsCommand' && !raced && first?.ConditionCheck?.Key.pk === `LICENCE#${moving.id}`) {
          raced = true;
          await other.send(new UpdateCommand({ TableName: table.tableName, Key: { pk: `LICENCE#${moving.id}`, sk: 'LICENCE' }, UpdateExpression: 'SET #s = :r', ExpressionAttributeNames: { '#s': 'state' }, ExpressionAttributeValues: { ':r': 'revoked' } }));
        }
        return next(args);
      },
      { step: 'initialize', name: 'raceBackfill' },
    );

    // Act
    const result = await backfillLicenceStatePointers(table.db, table.tableName).finally(() => table.db.middlewareStack.remove('raceBackfill'));
    other.destroy();

    // Assert
    expect(raced).toBe(true);
    expect(result).toEqual({ licences: 3, skipped: false });
    for (const party of [LICENSOR, LICENSEE]) {
      expect(await listed(party, 'active')).toEqual([active.id]);
      expect(await listed(party, 'pending_approval')).toEqual([pending.id]);
      expect(await listed(party, 'awaiting_signature')).toEqual([]);
      expect(await listed(party, 'revoked')).toEqual([moving.id]);
    }
    expect(await backfillLicenceStatePointers(table.db, table.tableName)).toEqual({ licences: 0, skipped: true });

    // An older pending licence moves lists when it leaves, but gives back no slot it never took
    await move(pending.id, ['pending_approval', 'awaiting_signature'], 'declined');
    expect(await listed(LICENSEE, 'pending_approval')).toEqual([]);
    expect(await listed(LICENSEE, 'declined')).toEqual([pending.id]);
    expect(await counter(pendingTotalKey(LICENSEE))).toBeUndefined();
  });

  it('refuses a transition when the licence moved between its read and its write, leaving each pointer where the winner put it', async () => {
    // Arrange: a request, signed by a concurrent writer just after the revocation read it
    const requested = licence('awaiting_signature', 'off_3');
    await store.createLicence(requested, event(requested.id));
    const other = createDocumentClient({ endpoint: table.endpoint });
    let raced = false;
    table.db.middlewareStack.add(
      (next, context) => async (args) => {
        const first = (args.input as { TransactItems?: { Update?: { Key: { pk: string } } }[] }).TransactItems?.[0];
        if (context.commandName === 'TransactWriteItemsCommand' && !raced && first?.Update?.Key.pk === `LICENCE#${requested.id}`) {
          raced = true;
          await new DynamoLicenceStore(other, table.tableName).transition(requested.id, { from: ['awaiting_signature'], to: 'active', at: systemClock.now().toISOString(), by: 'rival' }, event(requested.id));
        }
        return next(args);
      },
      { step: 'initialize', name: 'raceTransition' },
    );

    // Act
    const revoked = move(requested.id, ['pending_approval', 'awaiting_signature', 'active', 'suspended'], 'revoked').finally(() => table.db.middlewareStack.remove('raceTransition'));

    // Assert
    await expect(revoked).rejects.toMatchObject({ code: 'licence_state_changed' });
    other.destroy();
    expect(raced).toBe(true);
    expect(await listed(LICENSEE, 'active')).toContain(requested.id);
    expect(await listed(LICENSEE, 'revoked')).not.toContain(requested.id);
    expect(await listed(LICENSEE, 'awaiting_signature')).not.toContain(requested.id);
  });

  it('gives back exactly the slot a licence took, once, when it leaves the pending states', async () => {
    // Arrange: one slot per offer
    const caps = { perOffer: 1, total: 5 };
    const first = licence('awaiting_signature', 'off_2');
    await store.createLicence(first, event(first.id), caps);
    expect(await counter(pendingOfferKey(LICENSEE, 'off_2'))).toBe(1);
    await expect(store.createLicence(licence('awaiting_signature', 'off_2'), event('x'), caps)).rejects.toMatchObject({ code: 'too_many_pending_requests', details: [{ scope: 'offer', cap: 1 }] });

    // Act: signed, then revoked
    await move(first.id, ['awaiting_signature'], 'active');
    await move(first.id, ['pending_approval', 'awaiting_signature', 'active', 'suspended'], 'revoked');

    // Assert: one decrement, and a new request fits
    expect(await counter(pendingOfferKey(LICENSEE, 'off_2'))).toBe(0);
    expect(await counter(pendingTotalKey(LICENSEE))).toBe(0);
    expect(await listed(LICENSEE, 'revoked')).toContain(first.id);
    expect(await listed(LICENSEE, 'active')).not.toContain(first.id);
    const second = licence('awaiting_signature', 'off_2');
    await store.createLicence(second, event(second.id), caps);
    expect(await listed(LICENSEE, 'awaiting_signature')).toEqual([second.id]);
  });
});
