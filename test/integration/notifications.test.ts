import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDutyStore } from '../../functions/adapters/dynamo/duty-store.ts';
import { DynamoPeopleStore } from '../../functions/adapters/dynamo/people-store.ts';
import { DynamoDigestQueue, DynamoNotificationPreferenceStore } from '../../functions/adapters/dynamo/notification-stores.ts';
import { DynamoSentMailStore } from '../../functions/adapters/dynamo/sent-mail-store.ts';
import { AuditTrail } from '../../functions/domain/audit/audit-trail.ts';
import { systemClock, ulidGenerator } from '../../functions/domain/ids.ts';
import { NotificationService } from '../../functions/domain/notifications/notification-service.ts';
import { PeopleService } from '../../functions/domain/people/people-service.ts';
import type { Mailer, MailMessage } from '../../functions/ports/mailer.ts';
import { createTestTable, type TestTable } from '../support/emulators.ts';
import { bootstrapOfficer, servicesOn } from '../support/services.ts';

/** A mailer that keeps what it sent and fails when told to, as SES may. */
class RecordingMailer implements Mailer {
  readonly sent: MailMessage[] = [];
  failNext = 0;
  async send(message: MailMessage): Promise<void> {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error('SES throttled');
    }
    this.sent.push(message);
  }
}

/** At least once, never twice: what was sent is recorded on DynamoDB Local, after the send succeeded. */
describe('notifications sent once per event and person', () => {
  let table: TestTable;
  let mailer: RecordingMailer;
  let notifications: NotificationService;
  let invitedId: string;
  let preferences: DynamoNotificationPreferenceStore;

  beforeAll(async () => {
    table = await createTestTable();
    const s = servicesOn(table);
    const { officer, collectivityId } = await bootstrapOfficer(s.identity);
    const people = new DynamoPeopleStore(table.db, table.tableName);
    const identity = { getPartner: (id: string) => s.identityStore.getPartner(id), territory: () => s.identityStore.territory() };
    const ids = ulidGenerator(systemClock);
    invitedId = (await new PeopleService({ people, identity, audit: new AuditTrail({ clock: systemClock, ids }), clock: systemClock, ids }).invite(officer, collectivityId, { email: 'agnes.leroy@grand-territoire.example', role: 'officer' })).id;
    mailer = new RecordingMailer();
    notifications = new NotificationService({
      mailer,
      sent: new DynamoSentMailStore(table.db, table.tableName),
      clock: systemClock,
      people,
      identity,
      licences: { getLicence: async () => undefined },
      preferences: (preferences = new DynamoNotificationPreferenceStore(table.db, table.tableName)),
      digests: new DynamoDigestQueue(table.db, table.tableName),
      publicUrl: 'https://donnees.example.fr',
    });
  });
  afterAll(() => table.drop());

  it('sends nothing again when the same event comes back, but sends for another event', async () => {
    // Arrange
    const event = { id: 'evt-invited-1', subject: invitedId, data: {} };

    // Act: the event delivered twice, then another one
    await notifications.onPersonInvited(event);
    await notifications.onPersonInvited(event);
    await notifications.notify('licence.requested', { id: 'evt-requested-1', subject: 'lic_1', data: { state: 'pending_approval', purpose: 'etude' } });

    // Assert
    expect(mailer.sent.map((m) => m.messageId)).toEqual([`evt-invited-1.${invitedId}@comptoir`, `evt-requested-1.${invitedId}@comptoir`]);
  });

  it('sends on the next delivery when sending failed: nothing is recorded before the message went out', async () => {
    // Arrange
    const event = { id: 'evt-invited-2', subject: invitedId, data: {} };
    mailer.failNext = 1;

    // Act
    await expect(notifications.onPersonInvited(event)).rejects.toThrow('SES throttled');
    await notifications.onPersonInvited(event);
    await notifications.onPersonInvited(event);

    // Assert
    expect(mailer.sent.filter((m) => m.messageId.startsWith('evt-invited-2.'))).toHaveLength(1);
  });

  it('holds what a person chose as a digest, sends it in one e-mail a day, and never again when an event comes back', async () => {
    // Arrange: the officer gets waiting licence requests as a digest, in English
    await preferences.putPreferences(invitedId, { language: 'en', kinds: { 'licence.waiting': 'digest' } });
    const requested = (id: string) => notifications.notify('licence.requested', { id, subject: `lic_${id}`, data: { state: 'pending_approval', purpose: 'etude' } });
    const before = mailer.sent.length;

    // Act: two events, one delivered twice; two digest runs the same day, one the next; the first event once more
    await requested('evt-d1');
    await requested('evt-d1');
    await requested('evt-d2');
    const held = mailer.sent.length;
    const day = new Date('2026-12-08T06:00:00Z');
    const first = await notifications.sendDigests(day);
    const second = await notifications.sendDigests(day);
    // The first event comes back, and a new one, later the same day: the new one waits for tomorrow's digest.
    await requested('evt-d1');
    await requested('evt-d3');
    const sameDay = await notifications.sendDigests(new Date('2026-12-08T18:00:00Z'));
    const tomorrow = await notifications.sendDigests(new Date('2026-12-09T06:00:00Z'));

    // Assert
    expect(held).toBe(before);
    expect([first, second, sameDay, tomorrow]).toEqual([1, 0, 0, 1]);
    const digests = mailer.sent.slice(before);
    expect(digests.map((m) => m.messageId)).toEqual([`digest.2026-12-08.${invitedId}@comptoir`, `digest.2026-12-09.${invitedId}@comptoir`]);
    expect(digests[1]!.subject).toBe('Comptoir: your daily digest (1 notification)');
    expect(digests[1]!.text).toContain('#/inbox');
    expect(digests[0]!.subject).toBe('Comptoir: your daily digest (2 notifications)');
    expect(digests[0]!.text).toContain('- A licence request waits for your approval\n  https://donnees.example.fr/#/inbox\n- A licence request waits for your approval');
    await preferences.putPreferences(invitedId, {});
  });

  it('keeps a digest whose sending failed, and sends it on the next run', async () => {
    // Arrange
    await preferences.putPreferences(invitedId, { kinds: { 'licence.waiting': 'digest' } });
    await notifications.notify('licence.requested', { id: 'evt-f1', subject: 'lic_f1', data: { state: 'pending_approval', purpose: 'etude' } });
    const before = mailer.sent.length;
    mailer.failNext = 1;

    // Act
    await expect(notifications.sendDigests(new Date('2026-12-11T06:00:00Z'))).rejects.toThrow('1 digest(s) not sent');
    const retried = await notifications.sendDigests(new Date('2026-12-11T06:05:00Z'));

    // Assert
    expect(retried).toBe(1);
    expect(mailer.sent.slice(before).map((m) => m.subject)).toEqual(['Comptoir : votre résumé du jour (1 notification)']);
    await preferences.putPreferences(invitedId, {});
  });

  it('finds the open duties due within a window, not those due before it nor after it', async () => {
    // Arrange
    const duties = new DynamoDutyStore(table.db, table.tableName);
    const duty = (dutyId: string, dueAt: string, status: 'open' | 'fulfilled' = 'open') => ({ dutyId, licenceId: 'lic_window', kind: 'usage-report' as const, status, dueAt, params: {}, createdAt: '2026-01-01T00:00:00Z' });
    await duties.createDuties([duty('past', '2026-03-09T23:59:59Z'), duty('edge', '2026-03-10T09:00:00.000Z'), duty('soon', '2026-03-12T00:00:00Z'), duty('last', '2026-03-17T09:00:00.000Z'), duty('later', '2026-03-17T09:00:01Z'), duty('done', '2026-03-12T00:00:00Z', 'fulfilled')]);

    // Act
    const found = await duties.dueBetween('2026-03-10T09:00:00.000Z', '2026-03-17T09:00:00.000Z');

    // Assert: after the start (a duty due then is overdue already), up to the end included
    expect(found.filter((d) => d.licenceId === 'lic_window').map((d) => d.dutyId)).toEqual(['soon', 'last']);
  });
});
