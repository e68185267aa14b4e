import { describe, expect, it } from 'vitest';
import type { Contract } from '../../schemas/index.ts';
import { AuditTrail } from '../../functions/domain/audit/audit-trail.ts';
import { systemClock, ulidGenerator } from '../../functions/domain/ids.ts';
import { deliveryDaysFrom, ReminderService } from '../../functions/domain/notifications/reminders.ts';
import type { DeliveryRecord } from '../../functions/ports/contracts.ts';
import type { StoredLicence } from '../../functions/ports/licensing.ts';
import type { PendingAuditEvent } from '../../functions/domain/audit/audit-trail.ts';

/** The schedule's reminders over in-memory stores: which deadlines are reminded, and each once. */

const NOW = new Date('2026-03-10T09:00:00Z');
const DAY = 24 * 3600_000;
const at = (days: number) => new Date(NOW.getTime() + days * DAY).toISOString();

function setUp(o: { contracts?: Contract[]; deliveries?: DeliveryRecord[]; licences?: Partial<StoredLicence>[]; duties?: { licenceId: string; dutyId: string; dueAt: string }[] }) {
  const marks = new Set<string>();
  const raised: PendingAuditEvent[] = [];
  const licences = (o.licences ?? []).map((l) => ({ licensor: { id: 'prt_L', name: 'L', kind: 'public' }, licensee: { id: 'prt_F', name: 'F', kind: 'private' }, state: 'active', ...l }) as StoredLicence);
  const service = new ReminderService({
    contracts: { listContracts: async () => ({ items: o.contracts ?? [] }), deliveries: async () => o.deliveries ?? [] },
    duties: { dueBetween: async () => o.duties ?? [] },
    licences: { listByState: async (state) => ({ items: licences.filter((l) => l.state === state) }), getLicence: async (id) => licences.find((l) => l.id === id) },
    marks: {
      remind: async (key, event) => {
        if (marks.has(key)) return false;
        marks.add(key);
        raised.push(event);
        return true;
      },
    },
    audit: new AuditTrail({ clock: systemClock, ids: ulidGenerator(systemClock) }),
  });
  return { service, raised };
}

// Monthly periods from 1 February (Paris), due at the period's end: 1 March, 1 April, …
const contract: Contract = {
  id: 'ctr_1',
  operatorId: 'prt_OP',
  service: 'Eau',
  startsOn: '2026-02-01',
  endsOn: '2027-02-01',
  obligations: [{ id: 'releves', title: 'Relevés', every: 'P1M', graceDays: 0 }],
  createdAt: '2026-01-15T00:00:00Z',
} as Contract;

describe('reminders of deadlines ahead', () => {
  it('reminds the operator of a period due within the horizon, not of one past due nor of one further ahead', async () => {
    // Arrange: period 0 was due on 1 March (late, not due), period 1 is due on 1 April (22 days ahead)
    const { service, raised } = setUp({ contracts: [contract] });

    // Act
    const inSevenDays = await service.deliveriesDue(NOW);
    const inThreeWeeks = await service.deliveriesDue(new Date(NOW.getTime() + 16 * DAY));

    // Assert
    expect(inSevenDays).toBe(0);
    expect(inThreeWeeks).toBe(1);
    expect(raised.map((e) => [e.body.action, e.body.subject, e.body.data.period, e.body.data.operatorId])).toEqual([['reminder.delivery.due', 'ctr_1', 1, 'prt_OP']]);
  });

  it('does not remind of a period already delivered, and reminds each period once', async () => {
    const delivered = setUp({ contracts: [contract], deliveries: [{ datasetId: 'dst_1', version: 1, publishedAt: '2026-03-20T10:00:00Z' }] });
    expect(await delivered.service.deliveriesDue(new Date(NOW.getTime() + 16 * DAY))).toBe(0);
    const owed = setUp({ contracts: [contract] });
    expect(await owed.service.deliveriesDue(new Date(NOW.getTime() + 16 * DAY))).toBe(1);
    expect(await owed.service.deliveriesDue(new Date(NOW.getTime() + 17 * DAY))).toBe(0);
  });

  it('reminds the licensee of a licence expiring within 30 days only, once', async () => {
    const { service, raised } = setUp({
      licences: [
        { id: 'lic_soon', expiresAt: at(29) },
        { id: 'lic_later', expiresAt: at(31) },
        { id: 'lic_past', expiresAt: at(-1) },
        { id: 'lic_never' },
        { id: 'lic_suspended', state: 'suspended', expiresAt: at(2) },
      ],
    });
    expect(await service.licencesExpiring(NOW)).toBe(2);
    expect(await service.licencesExpiring(NOW)).toBe(0);
    expect(raised.map((e) => [e.body.subject, e.body.data.licenseeId])).toEqual([
      ['lic_soon', 'prt_F'],
      ['lic_suspended', 'prt_F'],
    ]);
  });

  it('reminds the licensee of each duty due soon, once per due date', async () => {
    const duties = [{ licenceId: 'lic_1', dutyId: 'share-back-0', dueAt: at(3) }, { licenceId: 'lic_gone', dutyId: 'share-back-0', dueAt: at(4) }];
    const { service, raised } = setUp({ licences: [{ id: 'lic_1' }], duties });
    expect(await service.dutiesDue(NOW)).toBe(1);
    expect(await service.dutiesDue(NOW)).toBe(0);
    expect(raised.map((e) => [e.body.action, e.body.subject, e.body.data.dutyId, e.body.data.dueAt])).toEqual([['reminder.duty.due', 'lic_1', 'share-back-0', at(3)]]);
  });

  it('reads the delivery horizon a territory configured, and refuses one that is not a number of days', () => {
    expect(deliveryDaysFrom(undefined)).toBe(7);
    expect(deliveryDaysFrom('14')).toBe(14);
    for (const bad of ['0', '-3', '7.5', 'sept', '400', '']) expect(() => deliveryDaysFrom(bad), bad).toThrow(RangeError);
  });
});
