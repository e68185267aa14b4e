import { DynamoIdentityStore } from '../adapters/dynamo/identity-store.ts';
import { AuditTrail } from '../domain/audit/audit-trail.ts';
import { IdentityService } from '../domain/identity/identity-service.ts';
import { systemClock, ulidGenerator } from '../domain/ids.ts';
import { documentClient, tableName } from './table.ts';

const ids = ulidGenerator(systemClock);

/** The identity service of this process. */
export const identityService = new IdentityService({
  store: new DynamoIdentityStore(documentClient, tableName),
  audit: new AuditTrail({ clock: systemClock, ids }),
  clock: systemClock,
  ids,
});
