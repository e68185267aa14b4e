import { DynamoIdentityStore } from '../adapters/dynamo/identity-store.ts';
import { IdentityService } from '../domain/identity/identity-service.ts';
import { auditTrail, clock, ids } from './core.ts';
import { peopleStore } from './sessions.ts';
import { documentClient, tableName } from './table.ts';

export const identityStore = new DynamoIdentityStore(documentClient, tableName);

/** The identity service of this process. */
export const identityService = new IdentityService({ store: identityStore, people: peopleStore, audit: auditTrail, clock, ids });
