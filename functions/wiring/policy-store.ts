import { DynamoPolicyStore } from '../adapters/dynamo/policy-store.ts';
import { documentClient, tableName } from './table.ts';

/** The territory policy and zone layers in the table, without the catalogues the policy routes serve (kept out of other bundles). */
export const policyStore = new DynamoPolicyStore(documentClient, tableName);
