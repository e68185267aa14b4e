import { DynamoPolicyStore } from '../adapters/dynamo/policy-store.ts';
import { PolicyService } from '../domain/licences/policy-service.ts';
import { auditTrail as audit, clock } from './core.ts';
import { documentClient, tableName } from './table.ts';

export const policyStore = new DynamoPolicyStore(documentClient, tableName);

/** Territory policy, zone layers and catalogues of this process. */
export const policyService = new PolicyService({ store: policyStore, audit, clock });
