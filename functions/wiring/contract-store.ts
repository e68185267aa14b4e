import { DynamoContractStore } from '../adapters/dynamo/contract-store.ts';
import { documentClient, tableName } from './table.ts';

/** DSP contracts' persistence, shared by the contract service and the catalogue. */
export const contractStore = new DynamoContractStore(documentClient, tableName);
