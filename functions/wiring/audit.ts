import { AuditService } from '../domain/audit/audit-service.ts';
import { auditStore } from './audit-store.ts';
import { checkpointStore as checkpoints } from './checkpoints.ts';
import { peopleStore } from './sessions.ts';
import { signer } from './signer.ts';

/** The audit chain store and reader of this process. */
export { auditStore };
export const auditService = new AuditService({ store: auditStore, checkpoints, signer, people: peopleStore });
