import { createDocumentClient } from '../adapters/dynamo/client.ts';
import { optionalEnv, requireEnv } from './env.ts';

/** The table this function reads and writes (bindTable in CDK, the local runtime locally). */
export const tableName = requireEnv('TABLE_NAME', 'the CDK stack (bindTable) or `npm start`');

/** One document client per process, reused across invocations. */
export const documentClient = createDocumentClient({
  ...(optionalEnv('COMPTOIR_DYNAMODB_ENDPOINT') ? { endpoint: optionalEnv('COMPTOIR_DYNAMODB_ENDPOINT') } : {}),
});
