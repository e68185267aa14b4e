import { PolicyService } from '../domain/licences/policy-service.ts';
import { auditTrail as audit, clock } from './core.ts';
import { policyStore } from './policy-store.ts';

/** Territory policy, zone layers and catalogues of this process. */
export const policyService = new PolicyService({ store: policyStore, audit, clock });
