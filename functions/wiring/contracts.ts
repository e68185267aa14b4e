import { ContractService } from '../domain/contracts/contract-service.ts';
import { contractStore } from './contract-store.ts';
import { auditTrail as audit, clock, ids } from './core.ts';
import { identityStore as identity } from './identity.ts';

/** DSP contracts and compliance of this process (no bucket access needed). */
export const contractService = new ContractService({ store: contractStore, identity, audit, clock, ids });
