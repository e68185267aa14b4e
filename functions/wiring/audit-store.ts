import { DynamoAuditStore } from '../adapters/dynamo/audit-store.ts';
import { documentClient, tableName } from './table.ts';

/** The audit chain store of this process. */
export const auditStore = new DynamoAuditStore(documentClient, tableName);
