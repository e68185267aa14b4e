import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import bouncePermanent from '../events/ses/bounce-permanent.json' with { type: 'json' };
import bounceTransient from '../events/ses/bounce-transient.json' with { type: 'json' };
import complaint from '../events/ses/complaint.json' with { type: 'json' };
import delivery from '../events/ses/delivery.json' with { type: 'json' };
import { DynamoMailSuppressions } from '../../functions/adapters/dynamo/mail-suppression-store.ts';
import { parseSesEvent } from '../../functions/adapters/mail/ses-events.ts';
import { systemClock } from '../../functions/domain/ids.ts';
import { MailFeedbackService } from '../../functions/domain/notifications/mail-feedback.ts';
import { SuppressingMailer } from '../../functions/domain/notifications/suppressing-mailer.ts';
import type { Mailer, MailMessage } from '../../functions/ports/mailer.ts';
import { createTestTable, type TestTable } from '../support/emulators.ts';

class RecordingMailer implements Mailer {
  readonly sent: MailMessage[] = [];
  async send(message: MailMessage): Promise<void> {
    this.sent.push(message);
  }
}

/** SES bounce and complaint events (as SNS delivers them) suppress addresses on DynamoDB Local; the mailer then skips them. */
describe('suppressed addresses', () => {
  let table: TestTable;
  let suppressions: DynamoMailSuppressions;
  let feedback: MailFeedbackService;
  const receive = async (event: object) => {
    const decoded = parseSesEvent(JSON.stringify(structuredClone(event)));
    return decoded ? feedback.record(decoded) : [];
  };
  const message = (to: string): MailMessage => ({ to, subject: 'Objet', text: 'Texte', messageId: `m-${to}@comptoir` });

  beforeAll(async () => {
    table = await createTestTable();
    suppressions = new DynamoMailSuppressions(table.db, table.tableName);
    feedback = new MailFeedbackService({ suppressions, clock: systemClock });
  });
  afterAll(async () => {
    await table?.drop();
  });

  it('suppresses the recipients of a permanent bounce and of a complaint, whatever their case', async () => {
    // Act
    expect(await receive(bouncePermanent)).toEqual(['gone@example.org']);
    expect(await receive(complaint)).toEqual(['annoyed@example.org']);

    // Assert
    expect(await suppressions.isSuppressed('gone@example.org')).toBe(true);
    expect(await suppressions.isSuppressed('Annoyed@Example.org')).toBe(true);
  });

  it('suppresses nobody for a transient bounce (a full mailbox) or a delivery', async () => {
    expect(await receive(bounceTransient)).toEqual([]);
    expect(await receive(delivery)).toEqual([]);
    expect(await suppressions.isSuppressed('full@example.org')).toBe(false);
    expect(await suppressions.isSuppressed('fine@example.org')).toBe(false);
  });

  it('refuses a bounce event without its bounce rather than passing it as nothing', () => {
    expect(() => parseSesEvent(JSON.stringify({ eventType: 'Bounce', mail: {} }))).toThrow(/without its bounce/);
  });

  it('sends to every other address, skips a suppressed one and says so in the log', async () => {
    // Arrange
    await receive(bouncePermanent);
    const inner = new RecordingMailer();
    const logged: { message: string; fields: Record<string, unknown> }[] = [];
    const mailer = new SuppressingMailer(inner, suppressions, (m, fields) => logged.push({ message: m, fields }));

    // Act
    await mailer.send(message('GONE@example.org'));
    await mailer.send(message('present@example.org'));

    // Assert
    expect(inner.sent.map((m) => m.to)).toEqual(['present@example.org']);
    expect(logged).toEqual([{ message: 'not sent: the address bounced or complained before', fields: { messageId: 'm-GONE@example.org@comptoir' } }]);
  });
});
