import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAccessStore } from '../../functions/adapters/dynamo/access-store.ts';
import { AuditTrail } from '../../functions/domain/audit/audit-trail.ts';
import { DependencyError } from '../../functions/domain/errors.ts';
import { systemClock, ulidGenerator } from '../../functions/domain/ids.ts';
import type { AccessRecord } from '../../functions/ports/access.ts';
import { createTestTable, type TestTable } from '../support/emulators.ts';
import { cancelNextTransactions } from '../support/transaction-conflicts.ts';

describe('an access counted while other transactions hold its items', () => {
  let table: TestTable;
  let store: DynamoAccessStore;
  const audit = new AuditTrail({ clock: systemClock, ids: ulidGenerator() });
  const access = (n: number): [AccessRecord, ReturnType<AuditTrail['record']>] => {
    const record: AccessRecord = { accessId: `acc-${n}`, licenceId: 'lic-1', licensorId: 'p-a', licenseeId: 'p-b', datasetId: 'ds-1', version: 1, purpose: 'etude', at: new Date().toISOString(), objectKey: 'versions/ds-1/v1/x.csv', transforms: [], obligations: [] };
    return [record, audit.record({ actor: { type: 'system', name: 'test' }, action: 'licence.accessed', subject: 'lic-1', parties: ['p-a', 'p-b'], data: { accessId: record.accessId } })];
  };
  const charge = { clauseIndex: 0, windowStart: '2026-01-01T00:00:00.000Z', windowEnd: '2026-01-02T00:00:00.000Z', limit: 10 };

  beforeAll(async () => {
    table = await createTestTable();
    store = new DynamoAccessStore(table.db, table.tableName);
  });
  afterAll(() => table.drop());

  it('retries a cancelled transaction and counts the access once', async () => {
    const { remove } = cancelNextTransactions(table, 2);
    try {
      const [record, event] = access(1);
      expect(await store.grant('lic-1', record, [charge], event)).toEqual({ granted: true });
    } finally {
      remove();
    }
    // Counted once: a limit of two admits exactly one more.
    const [second, secondEvent] = access(3);
    const [third, thirdEvent] = access(4);
    expect(await store.grant('lic-1', second, [{ ...charge, limit: 2 }], secondEvent)).toEqual({ granted: true });
    expect(await store.grant('lic-1', third, [{ ...charge, limit: 2 }], thirdEvent)).toMatchObject({ granted: false });
  });

  it('answers "unavailable, ask again" (503 with Retry-After), not a conflict the route does not declare, when the items stay held', async () => {
    const { remove } = cancelNextTransactions(table, 100);
    try {
      const [record, event] = access(2);
      const refused = await store.grant('lic-1', record, [charge], event).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(DependencyError);
      expect((refused as DependencyError).retryAfterSeconds).toBe(1);
    } finally {
      remove();
    }
  });
});
