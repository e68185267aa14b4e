import { DynamoAuditStore } from '../adapters/dynamo/audit-store.ts';
import { AuditService } from '../domain/audit/audit-service.ts';
import { documentClient, tableName } from './table.ts';

/** The audit chain store and reader of this process. */
export const auditStore = new DynamoAuditStore(documentClient, tableName);
export const auditService = new AuditService({ store: auditStore });
