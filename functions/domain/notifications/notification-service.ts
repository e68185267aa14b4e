import type { IdentityStore } from '../../ports/identity.ts';
import type { LicenceStore } from '../../ports/licensing.ts';
import type { Mailer, SentMail } from '../../ports/mailer.ts';
import type { Clock } from '../../ports/time.ts';
import type { PeopleStore, StoredPerson } from '../../ports/people.ts';
import { consolePageUrl } from '../console-links.ts';
import { deliveryLateMail, dutyOverdueMail, invitationMail, licenceWaitingMail, type MailText } from './messages.ts';

/** The events people are told about by e-mail (the cloud's rule and the local bus subscribe to these). */
export const NOTIFIED_EVENTS = ['licence.requested', 'person.invited', 'contract.delivery.late', 'licence.duty.overdue'] as const;

export interface NotificationDeps {
  readonly mailer: Mailer;
  /** What went out already: at least once, never twice for one event and person. */
  readonly sent: SentMail;
  readonly clock: Clock;
  readonly people: Pick<PeopleStore, 'getPerson' | 'listPeople'>;
  readonly identity: Pick<IdentityStore, 'territory' | 'getPartner'>;
  readonly licences: Pick<LicenceStore, 'getLicence'>;
  /** The console's base URL, the links' root. */
  readonly publicUrl: string;
}

/** What an outbox event says, as far as notifications read it. */
export interface NotifiedEvent {
  readonly id: string;
  readonly subject: string;
  readonly data: Record<string, unknown>;
  /** The partners the event concerns, as the audit records them. */
  readonly parties?: readonly string[];
}

/** E-mails people get because something waits for them; one message per event and person (its id says so). */
export class NotificationService {
  constructor(private readonly deps: NotificationDeps) {}

  /** A licence request that waits for an officer's approval: every officer of the territory is told. */
  async onLicenceRequested(event: NotifiedEvent): Promise<number> {
    if (event.data.state !== 'pending_approval') return 0;
    const territory = await this.deps.identity.territory();
    if (!territory) return 0;
    // The collectivity's people are all officers (invitations there allow no other role).
    const officers = await this.everyone(territory.collectivityId);
    const link = consolePageUrl(this.deps.publicUrl, '/inbox');
    const mail = licenceWaitingMail({ licenceId: event.subject, purpose: String(event.data.purpose ?? ''), link });
    await Promise.all(officers.map((officer) => this.send(event, officer, mail)));
    return officers.length;
  }

  /** A person invited: told where to sign in and for which partner. */
  async onPersonInvited(event: NotifiedEvent): Promise<number> {
    const person = await this.deps.people.getPerson(event.subject);
    // Removed before this ran: nobody to tell.
    if (!person) return 0;
    const partner = await this.deps.identity.getPartner(person.partnerId);
    await this.send(event, person, invitationMail({ partner: partner?.name ?? person.partnerId, role: person.role, link: consolePageUrl(this.deps.publicUrl) }));
    return 1;
  }

  /** A DSP delivery past its due date: the territory's officers and the operator's admins are told. */
  async onDeliveryLate(event: NotifiedEvent): Promise<number> {
    const territory = await this.deps.identity.territory();
    const operatorId = event.parties?.[0];
    const people = [
      ...(territory ? await this.everyone(territory.collectivityId) : []),
      ...(operatorId ? (await this.everyone(operatorId)).filter((p) => p.role === 'admin') : []),
    ];
    const mail = deliveryLateMail({ obligationId: String(event.data.obligationId ?? ''), due: String(event.data.due ?? ''), link: consolePageUrl(this.deps.publicUrl, `/contracts/${event.subject}`) });
    await Promise.all(people.map((p) => this.send(event, p, mail)));
    return people.length;
  }

  /** A licensee's duty past its deadline (the licence is suspended): the licensee's admins are told. */
  async onDutyOverdue(event: NotifiedEvent): Promise<number> {
    const licence = await this.deps.licences.getLicence(event.subject);
    if (!licence) return 0;
    const admins = (await this.everyone(licence.licensee.id)).filter((p) => p.role === 'admin');
    const mail = dutyOverdueMail({ licenceId: licence.id, dutyId: String(event.data.dutyId ?? ''), link: consolePageUrl(this.deps.publicUrl, `/licences/${licence.id}`) });
    await Promise.all(admins.map((p) => this.send(event, p, mail)));
    return admins.length;
  }

  /** Sends unless this event's message to this person went out; recorded only once sent, so a failure is retried. */
  private async send(event: NotifiedEvent, to: StoredPerson, mail: MailText): Promise<void> {
    const messageId = `${event.id}.${to.id}@comptoir`;
    if (await this.deps.sent.wasSent(messageId)) return;
    await this.deps.mailer.send({ to: to.email, subject: mail.subject, text: mail.text, messageId });
    await this.deps.sent.recordSent(messageId, this.deps.clock.now());
  }

  private async everyone(partnerId: string): Promise<StoredPerson[]> {
    const all: StoredPerson[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.deps.people.listPeople(partnerId, { limit: 100, ...(cursor ? { cursor } : {}) });
      all.push(...page.items);
      cursor = page.cursor;
    } while (cursor);
    return all;
  }
}
