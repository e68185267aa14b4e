/**
 * Gives the versions left `uploading` or `validating` before the sweeper existed a deadline, once per
 * table, so the schedule re-drives or ends them; run it after deploying this version (a second run does nothing).
 * Usage: TABLE_NAME=comptoir-prod AWS_REGION=eu-west-3 npm run backfill-version-deadlines
 */
import { backfillVersionSweepDeadlines } from '../functions/adapters/dynamo/in-flight-backfill.ts';
import { documentClient, tableName } from '../functions/wiring/table.ts';

const result = await backfillVersionSweepDeadlines(documentClient, tableName);
console.log(result.skipped ? `${tableName}: already done, nothing changed.` : `${tableName}: sweep deadlines given to ${result.versions} version(s) in flight.`);
