import { DynamoContractStore } from '../adapters/dynamo/contract-store.ts';
import { ContractService } from '../domain/contracts/contract-service.ts';
import { auditTrail as audit, clock, ids } from './core.ts';
import { identityStore as identity } from './identity.ts';
import { documentClient, tableName } from './table.ts';

export const contractStore = new DynamoContractStore(documentClient, tableName);

/** DSP contracts and compliance of this process (no bucket access needed). */
export const contractService = new ContractService({ store: contractStore, identity, audit, clock, ids });
