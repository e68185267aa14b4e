import type { InvitePersonRequest, Person, PersonList } from '../../../schemas/index.ts';
import type { IdentityStore } from '../../ports/identity.ts';
import type { PeopleStore, StoredPerson } from '../../ports/people.ts';
import type { Clock, IdGenerator } from '../../ports/time.ts';
import { AuditTrail, actorOf } from '../audit/audit-trail.ts';
import { BusinessRuleError, ForbiddenError, PartnerNotFoundError } from '../errors.ts';
import { isOfficer, type Page, type PageRequest, type Principal } from '../model.ts';
import { PersonNotFoundError } from './errors.ts';

export interface PeopleDeps {
  readonly people: PeopleStore;
  readonly identity: Pick<IdentityStore, 'getPartner'>;
  readonly audit: AuditTrail;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/** The view of a person: never the provider's subject (the id is what others refer to). */
export const personView = ({ issuer: _issuer, subject: _subject, ...person }: StoredPerson): Person => person;

/**
 * People of partners: invited by e-mail address by an officer or the partner's admin, readable by
 * officers and their own partner only (personal data), removable while the audit keeps their id.
 */
export class PeopleService {
  constructor(private readonly deps: PeopleDeps) {}

  async invite(principal: Principal, partnerId: string, req: InvitePersonRequest): Promise<Person> {
    const partner = await this.partnerManagedBy(principal, partnerId);
    if ((partner.kind === 'collectivity') !== (req.role === 'officer')) {
      throw new BusinessRuleError(
        partner.kind === 'collectivity' ? 'people of the collectivity carry the officer role' : 'the officer role belongs to the collectivity only',
        'role_not_allowed',
      );
    }
    const person: StoredPerson = {
      id: this.deps.ids.next('psn'),
      partnerId,
      email: req.email,
      role: req.role,
      status: 'invited',
      ...(req.siret ? { siret: req.siret } : {}),
      invitedAt: this.deps.clock.now().toISOString(),
    };
    // The chain keeps the pseudonymous id only: an e-mail address there could never be erased.
    const event = this.deps.audit.record({ actor: actorOf(principal), action: 'person.invited', subject: person.id, parties: [partnerId], data: { partnerId, role: person.role } });
    await this.deps.people.invite(person, event);
    return personView(person);
  }

  async list(principal: Principal, partnerId: string, page: PageRequest): Promise<PersonList> {
    if (!isOfficer(principal) && principal.partnerId !== partnerId) throw new PartnerNotFoundError(partnerId);
    const result: Page<StoredPerson> = await this.deps.people.listPeople(partnerId, page);
    return { ...result, items: result.items.map(personView) };
  }

  async remove(principal: Principal, personId: string): Promise<void> {
    const person = await this.deps.people.getPerson(personId);
    if (!person || (!isOfficer(principal) && person.partnerId !== principal.partnerId)) throw new PersonNotFoundError(personId);
    await this.partnerManagedBy(principal, person.partnerId);
    const event = this.deps.audit.record({ actor: actorOf(principal), action: 'person.removed', subject: person.id, parties: [person.partnerId], data: { partnerId: person.partnerId, role: person.role } });
    await this.deps.people.remove(person, event);
  }

  private async partnerManagedBy(principal: Principal, partnerId: string) {
    if (!isOfficer(principal) && principal.partnerId !== partnerId) throw new PartnerNotFoundError(partnerId);
    const partner = await this.deps.identity.getPartner(partnerId);
    if (!partner) throw new PartnerNotFoundError(partnerId);
    if (!isOfficer(principal) && principal.role !== 'admin') throw new ForbiddenError("only an officer or the partner's admin can manage its people", 'admin_only');
    return partner;
  }
}
