import { DynamoAccessStore } from '../adapters/dynamo/access-store.ts';
import { DynamoLicenceStore } from '../adapters/dynamo/licence-store.ts';
import { AccessCache } from '../domain/licences/access-cache.ts';
import { AccessService } from '../domain/licences/access-service.ts';
import { catalogueStore as catalogue } from './catalogue-store.ts';
import { auditTrail as audit, clock, ids } from './core.ts';
import { policyStore as policies } from './policy-store.ts';
import { objectStore as objects } from './storage.ts';
import { documentClient, tableName } from './table.ts';

export const accessStore = new DynamoAccessStore(documentClient, tableName);
export const licenceReader = new DynamoLicenceStore(documentClient, tableName);

/** Access decisions of this process (no signing key needed), with its reads kept in the function's memory across invocations. */
export const accessService = new AccessService({ licences: licenceReader, policies, catalogue, store: accessStore, objects, audit, clock, ids, cache: new AccessCache({ now: () => clock.now().getTime() }) });
