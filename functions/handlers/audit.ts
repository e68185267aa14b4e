import { routes } from '../../schemas/routes.ts';
import { dispatch } from '../http/dispatch.ts';
import { implement } from '../http/route-handler.ts';
import { auditService as audit } from '../wiring/audit.ts';

export const listAudit = implement(routes.listAudit, ({ principal, query }) => audit.list(principal, query));
export const verifyAudit = implement(routes.verifyAudit, ({ principal, query }) => audit.verify(principal, query));
export const listAuditCheckpoints = implement(routes.listAuditCheckpoints, ({ principal, query }) => audit.listCheckpoints(principal, query));

/** Lambda entry of the `audit` function group. */
export const handler = dispatch('audit', { listAudit, verifyAudit, listAuditCheckpoints });
