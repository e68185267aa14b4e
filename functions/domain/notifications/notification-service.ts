import type { NotificationKind } from '../../../schemas/index.ts';
import type { IdentityStore } from '../../ports/identity.ts';
import type { LicenceStore } from '../../ports/licensing.ts';
import type { Mailer, SentMail } from '../../ports/mailer.ts';
import type { DigestEntry, DigestQueue, NotificationPreferenceStore } from '../../ports/notifications.ts';
import type { Clock } from '../../ports/time.ts';
import type { PeopleStore, StoredPerson } from '../../ports/people.ts';
import { consolePageUrl } from '../console-links.ts';
import { KIND_OF_EVENT, personActing, preferencesView, recipientsOf, type Audience } from './audience.ts';
import { digestMail, immediateMail, invitationMail, noticeOf, type MailText } from './messages.ts';

/** The events people are told about by e-mail (the cloud's rule and the local bus subscribe to these). */
export const NOTIFIED_EVENTS = ['person.invited', ...Object.keys(KIND_OF_EVENT)] as const;

export interface NotificationDeps {
  readonly mailer: Mailer;
  /** What went out already: at least once, never twice for one event and person. */
  readonly sent: SentMail;
  readonly clock: Clock;
  readonly people: Pick<PeopleStore, 'getPerson' | 'listPeople'>;
  readonly identity: Pick<IdentityStore, 'territory' | 'getPartner'>;
  readonly licences: Pick<LicenceStore, 'getLicence'>;
  readonly preferences: Pick<NotificationPreferenceStore, 'getPreferences'>;
  readonly digests: DigestQueue;
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

/** Who is told, what the words need, and which console page the e-mail links to. */
interface Target {
  readonly audience: Audience;
  readonly params: Record<string, string>;
  readonly path: string;
}

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/** E-mails people get because something waits for them; one message per event and person (its id says so). */
export class NotificationService {
  constructor(private readonly deps: NotificationDeps) {}

  /** One notified outbox event: each person concerned gets an e-mail now, or the notification waits for their digest. */
  async notify(type: string, event: NotifiedEvent): Promise<number> {
    if (type === 'person.invited') return this.onPersonInvited(event);
    const kind = KIND_OF_EVENT[type];
    if (!kind) return 0;
    const target = await this.target(type, kind, event);
    if (!target) return 0;
    const people = recipientsOf(target.audience);
    const link = consolePageUrl(this.deps.publicUrl, target.path);
    await Promise.all(people.map((p) => this.deliver(event, kind, p, target.params, link)));
    return people.length;
  }

  /** A person invited: told where to sign in and for which partner. */
  async onPersonInvited(event: NotifiedEvent): Promise<number> {
    const person = await this.deps.people.getPerson(event.subject);
    // Removed before this ran: nobody to tell.
    if (!person) return 0;
    const partner = await this.deps.identity.getPartner(person.partnerId);
    await this.send(`${event.id}.${person.id}@comptoir`, person, invitationMail({ partner: partner?.name ?? person.partnerId, role: person.role, link: consolePageUrl(this.deps.publicUrl) }));
    return 1;
  }

  /**
   * The schedule's daily digests: per person, one e-mail with every held notification not sent yet,
   * at most one a day (its message id names the day); each notification is recorded as sent with it.
   */
  async sendDigests(now: Date): Promise<number> {
    const byPerson = new Map<string, DigestEntry[]>();
    for (const entry of await this.deps.digests.held()) byPerson.set(entry.personId, [...(byPerson.get(entry.personId) ?? []), entry]);
    const outcomes = await Promise.allSettled([...byPerson].map(([personId, entries]) => this.sendDigest(personId, entries, now)));
    // One person's failure (a refused address, a throttled send) must not hold back the others' digests.
    const failures = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => o.reason as Error);
    if (failures.length) throw new AggregateError(failures, `${failures.length} digest(s) not sent; the next run sends them`);
    return outcomes.filter((o) => o.status === 'fulfilled' && o.value).length;
  }

  /** One person's digest of the day, unless it went out; true when it was sent now. */
  private async sendDigest(personId: string, entries: readonly DigestEntry[], now: Date): Promise<boolean> {
    const digestId = `digest.${now.toISOString().slice(0, 10)}.${personId}@comptoir`;
    if (await this.deps.sent.wasSent(digestId)) return false;
    const person = await this.deps.people.getPerson(personId);
    const fresh = person ? (await Promise.all(entries.map(async (e) => ((await this.deps.sent.wasSent(e.messageId)) ? undefined : e)))).filter((e) => e !== undefined) : [];
    if (fresh.length) {
      const { language } = preferencesView(await this.deps.preferences.getPreferences(personId));
      const ordered = fresh.sort((a, b) => a.at.localeCompare(b.at));
      await this.send(digestId, person!, digestMail(language, ordered, this.settingsLink()));
      await Promise.all(ordered.map((e) => this.deps.sent.recordSent(e.messageId, this.deps.clock.now())));
    }
    // Released only once recorded: a failure before leaves them held for the next run.
    await Promise.all(entries.map((e) => this.deps.digests.release(e)));
    return fresh.length > 0;
  }

  /** Who an event concerns and what its e-mail says; undefined when nobody is to be told. */
  private async target(type: string, kind: NotificationKind, event: NotifiedEvent): Promise<Target | undefined> {
    const d = event.data;
    switch (kind) {
      case 'licence.waiting': {
        if (type === 'licence.requested' && d.state !== 'pending_approval') return undefined;
        const purpose = type === 'licence.requested' ? str(d.purpose) : str((await this.deps.licences.getLicence(event.subject))?.purpose);
        return { audience: { officers: await this.officers() }, params: { licenceId: event.subject, purpose }, path: '/inbox' };
      }
      case 'barter.waiting': {
        if (type === 'barter.proposed' && d.state !== 'pending_approval') return undefined;
        // The audit sorts the parties: the e-mail names both, neither as proposer.
        const names = await Promise.all((event.parties ?? []).map(async (id) => (await this.deps.identity.getPartner(id))?.name ?? id));
        return { audience: { officers: await this.officers() }, params: { barterId: event.subject, partyA: names[0] ?? '', partyB: names[1] ?? '' }, path: '/barters' };
      }
      case 'dataset.change.waiting':
        return { audience: { officers: await this.officers() }, params: { dataset: event.subject, changeId: str(d.changeId) }, path: '/inbox' };
      case 'delivery.late':
        return {
          audience: { officers: await this.officers(), partner: await this.everyone(event.parties?.[0]) },
          params: { obligationId: str(d.obligationId), due: str(d.due) },
          path: `/contracts/${event.subject}`,
        };
      case 'delivery.due':
        return { audience: { partner: await this.everyone(str(d.operatorId)) }, params: { obligationId: str(d.obligationId), title: str(d.title), due: str(d.due) }, path: `/contracts/${event.subject}` };
      case 'subscription.failing':
        return { audience: { partner: await this.everyone(event.parties?.[0]) }, params: { subscriptionId: event.subject, reason: str(d.reason) }, path: '/subscriptions' };
      default:
        return this.licenseeTarget(type, kind, event);
    }
  }

  /** Notifications about a licence, for its licensee's admins (and, for an answer, the person who asked). */
  private async licenseeTarget(type: string, kind: NotificationKind, event: NotifiedEvent): Promise<Target | undefined> {
    const licence = await this.deps.licences.getLicence(event.subject);
    if (!licence) return undefined;
    const d = event.data;
    const partner = await this.everyone(licence.licensee.id);
    const path = `/licences/${licence.id}`;
    const params = { licenceId: licence.id };
    switch (kind) {
      case 'licence.decided':
        return { audience: { partner, ...(personActing(licence.history[0]?.by) ? { requesterId: personActing(licence.history[0]?.by)! } : {}) }, params: { ...params, outcome: type.slice('licence.'.length), reason: str(d.reason) }, path };
      case 'duty.due':
        return { audience: { partner }, params: { ...params, dutyId: str(d.dutyId), dueAt: str(d.dueAt) }, path };
      case 'duty.overdue':
        return { audience: { partner }, params: { ...params, dutyId: str(d.dutyId) }, path };
      case 'licence.expiring':
        return { audience: { partner }, params: { ...params, expiresAt: str(d.expiresAt) }, path };
      default:
        return undefined;
    }
  }

  /** In the person's language; at once, or held for their digest when they chose it for this kind. */
  private async deliver(event: NotifiedEvent, kind: NotificationKind, to: StoredPerson, params: Record<string, string>, link: string): Promise<void> {
    const messageId = `${event.id}.${to.id}@comptoir`;
    const prefs = preferencesView(await this.deps.preferences.getPreferences(to.id));
    const notice = noticeOf(kind, prefs.language, params, link);
    // Held even if it went out already (a redelivery): the digest leaves out what was sent.
    if (prefs.kinds[kind] === 'digest') {
      return this.deps.digests.hold({ personId: to.id, messageId, kind, subject: notice.subject, link, at: this.deps.clock.now().toISOString() });
    }
    await this.send(messageId, to, immediateMail(kind, prefs.language, notice, this.settingsLink()));
  }

  /** Sends unless this message went out; recorded only once sent, so a failure is retried. */
  private async send(messageId: string, to: StoredPerson, mail: MailText): Promise<void> {
    if (await this.deps.sent.wasSent(messageId)) return;
    await this.deps.mailer.send({ to: to.email, subject: mail.subject, text: mail.text, messageId });
    await this.deps.sent.recordSent(messageId, this.deps.clock.now());
  }

  /** Where a person changes their settings: the console's home page, « Mes notifications ». */
  private settingsLink(): string {
    return consolePageUrl(this.deps.publicUrl, '/');
  }

  private async officers(): Promise<StoredPerson[]> {
    const territory = await this.deps.identity.territory();
    // The collectivity's people are all officers (invitations there allow no other role).
    return territory ? this.everyone(territory.collectivityId) : [];
  }

  private async everyone(partnerId: string | undefined): Promise<StoredPerson[]> {
    if (!partnerId) return [];
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
