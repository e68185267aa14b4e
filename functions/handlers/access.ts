import type { AccessDecision } from '../../schemas/index.ts';
import { routes } from '../../schemas/routes.ts';
import { dispatch } from '../http/dispatch.ts';
import { HttpReply } from '../http/responses.ts';
import { implement } from '../http/route-handler.ts';
import { accessService as access } from '../wiring/access.ts';

/** Permit with a URL is 200, permit while preparing 202 (with Retry-After), deny 403 with the API's error shape beside the reasons. */
const reply = (d: AccessDecision) =>
  d.decision === 'deny'
    ? HttpReply.status(403, { ...d, error: { code: 'access_denied', message: d.reasons?.map((r) => `${r.clause}: ${r.message}`).join('; ') ?? 'denied' } })
    : d.status === 'preparing'
      ? HttpReply.status(202, d, { 'retry-after': String(d.retryAfter) })
      : HttpReply.status(200, d);

export const accessLicence = implement(routes.accessLicence, async ({ principal, params, body }) => reply(await access.access(principal, params.id, body)));
export const getAccess = implement(routes.getAccess, async ({ principal, params }) => reply(await access.poll(principal, params.id)));

/** Lambda entry of the `access` function group. */
export const handler = dispatch('access', { accessLicence, getAccess });
