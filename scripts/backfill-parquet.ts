/**
 * Gives the tabular versions published before record queries existed (or whose copy failed) their Parquet
 * copy, one at a time; a second run writes nothing. Run it where the engine has memory (2 GB or more).
 * Usage: TABLE_NAME=comptoir-prod BUCKET_NAME=comptoir-prod-datasets AWS_REGION=eu-west-3 npm run backfill-parquet
 */
import { publishedVersions } from '../functions/adapters/dynamo/published-versions.ts';
import { publishedCopies } from '../functions/wiring/query-engine.ts';
import { documentClient, tableName } from '../functions/wiring/table.ts';

const totals = await publishedCopies.backfill(publishedVersions(documentClient, tableName), (line) => console.log(line));
console.log(`${tableName}: ${totals.copied} copied, ${totals.present} already there, ${totals.skipped} not tabular, ${totals.failed} failed.`);
process.exitCode = totals.failed ? 1 : 0;
