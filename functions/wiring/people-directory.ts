import { PeopleService } from '../domain/people/people-service.ts';
import { auditTrail, clock, ids } from './core.ts';
import { identityStore } from './identity.ts';
import { peopleStore } from './sessions.ts';

/** People of partners, without the sign-in (no public URL, no provider needed: scripts use it too). */
export const peopleService = new PeopleService({ people: peopleStore, identity: identityStore, audit: auditTrail, clock, ids });
