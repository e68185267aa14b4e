/**
 * Gives the licences stored before the per-party state lists existed their entries, once per table;
 * run it after deploying this version (a second run does nothing).
 * Usage: TABLE_NAME=comptoir-prod AWS_REGION=eu-west-3 npm run backfill-licence-states
 */
import { backfillLicenceStatePointers } from '../functions/adapters/dynamo/licence-state-backfill.ts';
import { documentClient, tableName } from '../functions/wiring/table.ts';

const result = await backfillLicenceStatePointers(documentClient, tableName);
console.log(result.skipped ? `${tableName}: already done, nothing changed.` : `${tableName}: state pointers written for ${result.licences} licence(s).`);
