import { AuditTrail } from '../domain/audit/audit-trail.ts';
import { systemClock, ulidGenerator } from '../domain/ids.ts';

/** Clock, ids and audit trail shared by every service of this process. */
export const clock = systemClock;
export const ids = ulidGenerator(clock);
export const auditTrail = new AuditTrail({ clock, ids });
