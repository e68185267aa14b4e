import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDuration } from '../../contracts/calendar.ts';
import type { Clause } from '../../contracts/clauses/clause.ts';
import { DynamoAccessStore } from '../../functions/adapters/dynamo/access-store.ts';
import { AuditTrail, systemActor } from '../../functions/domain/audit/audit-trail.ts';
import { ulidGenerator } from '../../functions/domain/ids.ts';
import { AccessService, type KnownVersion } from '../../functions/domain/licences/access-service.ts';
import type { DatasetRecord, VersionRecord } from '../../functions/ports/catalogue.ts';
import type { StoredLicence } from '../../functions/ports/licensing.ts';
import type { ObjectStore } from '../../functions/ports/object-store.ts';
import { createTestTable, type TestTable } from '../support/emulators.ts';

// Quota windows on DynamoDB Local with the clock in the test's hands: each period starts afresh, and
// a denied access consumes nothing, not even from another quota of the same licence.
const ACTIVATED = '2026-03-02T09:00:00.000Z';
const DAILY = 5;
const MONTHLY = 7;

describe('quota periods on DynamoDB Local', () => {
  let table: TestTable;
  let service: AccessService;
  let now = ACTIVATED;

  const licence = {
    id: 'lic_quota',
    state: 'active',
    datasetId: 'ds_quota',
    licensor: { id: 'p_owner', name: 'Owner', kind: 'dsp' },
    licensee: { id: 'p_firm', name: 'Firm', kind: 'private' },
    activatedAt: ACTIVATED,
    clauses: [
      { kind: 'purpose', params: { allowed: ['research'] } },
      { kind: 'quota', params: { count: DAILY, per: 'P1D' } },
      { kind: 'quota', params: { count: MONTHLY, per: 'P1M' } },
    ] satisfies Clause[],
  } as unknown as StoredLicence;
  // The dataset and version are handed over as already read, so only the quota store is involved.
  const known: KnownVersion = {
    dataset: { id: 'ds_quota', format: 'csv' } as DatasetRecord,
    version: { datasetId: 'ds_quota', version: 1, status: 'published', objectKey: 'datasets/ds_quota/v1.csv' } as VersionRecord,
    enforcement: undefined,
  };

  /** `n` accesses at once at `at`; the permits and the deny messages. */
  const burst = async (at: string, n: number) => {
    now = at;
    const decisions = await Promise.all(Array.from({ length: n }, () => service.grantUnder(licence, { purpose: 'research' }, systemActor('test'), known)));
    return {
      permits: decisions.filter((d) => d.decision === 'permit').length,
      denials: decisions.flatMap((d) => (d.decision === 'deny' ? [(d.reasons ?? []).map((r) => `${r.clause}: ${r.message}`).join(' | ')] : [])),
    };
  };

  beforeAll(async () => {
    table = await createTestTable();
    const clock = { now: () => new Date(now) };
    const ids = ulidGenerator(clock);
    const objects = { presignGet: async (key: string) => ({ url: `https://objects.test/${key}`, expiresAt: addDuration(now, 'PT15M') }) } as unknown as ObjectStore;
    service = new AccessService({
      licences: {} as never,
      policies: {} as never,
      catalogue: {} as never,
      store: new DynamoAccessStore(table.db, table.tableName),
      objects,
      audit: new AuditTrail({ clock, ids }),
      clock,
      ids,
    });
  });
  afterAll(() => table.drop());

  it('grants the daily quota once per day, and lets denied accesses consume nothing of the monthly one', async () => {
    // Day 1: the daily quota binds; 45 denials must leave the monthly count at 5.
    const day1 = await burst(addDuration(ACTIVATED, 'PT1H'), 50);
    expect(day1.permits).toBe(DAILY);
    expect(day1.denials).toEqual(Array(50 - DAILY).fill(`quota: quota of ${DAILY} accesses reached until ${addDuration(ACTIVATED, 'P1D')}`));

    // Day 2: a fresh daily window, but only the 2 accesses left of the month.
    const day2 = await burst(addDuration(ACTIVATED, 'P1DT1H'), 50);
    expect(day2.permits).toBe(MONTHLY - DAILY);
    expect(day2.denials).toEqual(Array(50 - (MONTHLY - DAILY)).fill(`quota: quota of ${MONTHLY} accesses reached until ${addDuration(ACTIVATED, 'P1M')}`));

    // The month's last instant still counts in it (its day is fresh); the next month starts afresh.
    const lastInstant = await burst(new Date(Date.parse(addDuration(ACTIVATED, 'P1M')) - 1).toISOString(), 3);
    expect(lastInstant.permits).toBe(0);
    expect(lastInstant.denials[0]).toContain(`quota of ${MONTHLY}`);
    expect((await burst(addDuration(ACTIVATED, 'P1M'), 50)).permits).toBe(DAILY);
  });
});
