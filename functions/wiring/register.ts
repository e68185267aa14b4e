import { DynamoBarterStore } from '../adapters/dynamo/barter-store.ts';
import { DynamoLicenceStore } from '../adapters/dynamo/licence-store.ts';
import { registerMasks as masks } from './register-masks.ts';
import { RegisterService } from '../domain/register/register-service.ts';
import { auditStore } from './audit.ts';
import { catalogueStore as catalogue } from './catalogue-store.ts';
import { contractStore } from './contract-store.ts';
import { contractService } from './contracts.ts';
import { clock } from './core.ts';
import { identityStore as identity } from './identity.ts';
import { policyStore as policies } from './policy-store.ts';
import { documentClient, tableName } from './table.ts';

const licences = new DynamoLicenceStore(documentClient, tableName);

/** The public register of data sharing of this process (reads only). */
export const registerService = new RegisterService({
  licences,
  policies,
  catalogue,
  barters: new DynamoBarterStore(documentClient, tableName),
  masks,
  audit: auditStore,
  contracts: contractStore,
  compliance: (contract, asOf) => contractService.complianceOf(contract, asOf),
  identity,
  clock,
});

