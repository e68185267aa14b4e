import type { PeopleService } from '../../functions/domain/people/people-service.ts';
import type { IdentityService } from '../../functions/domain/identity/identity-service.ts';
import type { DemoKeys } from './demo-territory.ts';

/** A person the local provider knows, and whom the demo territory invites (if `slot` is set). */
export interface DemoPerson {
  readonly accountId: string;
  readonly email: string;
  readonly givenName: string;
  readonly usualName: string;
  readonly siret?: string;
  /** Assurance levels the provider can certify for them when a sign-in asks (`acr_values`); `eidas1` otherwise. */
  readonly acr?: readonly string[];
  /** The demo partner that invites them, with this role. */
  readonly invitedBy?: { readonly slot: keyof DemoKeys; readonly role: 'officer' | 'admin' | 'member' };
}

/** ProConnect's acr for a company's legal representative (certified against the company register). */
export const CERTIFICATION_DIRIGEANT = 'https://proconnect.gouv.fr/assurance/certification-dirigeant';

/** The demo people: an officer, the water operator's admin and a member of the digital firm. */
export const DEMO_PEOPLE: readonly DemoPerson[] = [
  { accountId: 'camille-agente', email: 'camille.martin@grand-territoire.example', givenName: 'Camille', usualName: 'Martin', siret: '20005478100022', invitedBy: { slot: 'officer', role: 'officer' } },
  { accountId: 'nadia-exploitante', email: 'nadia.benali@eaux-grand-territoire.example', givenName: 'Nadia', usualName: 'Benali', siret: '81234567600012', acr: ['eidas2', CERTIFICATION_DIRIGEANT], invitedBy: { slot: 'dsp', role: 'admin' } },
  { accountId: 'louis-analyste', email: 'louis.petit@trajets-malins.example', givenName: 'Louis', usualName: 'Petit', siret: '90876543100015', invitedBy: { slot: 'private', role: 'member' } },
];

/** Invites the demo people on a new demo territory, each by their partner's admin key (the officer by the officer key). */
export async function seedDemoPeople(identity: IdentityService, people: PeopleService, keys: DemoKeys, who: readonly DemoPerson[] = DEMO_PEOPLE): Promise<void> {
  for (const person of who) {
    if (!person.invitedBy) continue;
    const key = keys[person.invitedBy.slot];
    const principal = await identity.authenticate(`Bearer ${key.key}`);
    if (!principal) throw new Error(`the demo key of ${person.invitedBy.slot} does not authenticate`);
    await people.invite(principal, key.partnerId, { email: person.email, role: person.invitedBy.role });
  }
}
