import { buildOpenApiDocument } from '../../schemas/openapi.ts';
import { routes } from '../../schemas/routes.ts';
import { VERSION } from '../version.ts';
import { comptoirOdrlProfile } from '../domain/licences/odrl-profile.ts';
import { dispatch } from '../http/dispatch.ts';
import { HttpReply } from '../http/responses.ts';
import { implement } from '../http/route-handler.ts';
import { readiness } from '../wiring/readiness.ts';

// Built once per process: the document only changes with the code.
const openApiDocument = buildOpenApiDocument(VERSION);

export const health = implement(routes.health, () => ({ ok: true as const, version: VERSION }));
export const ready = implement(routes.ready, async () => {
  const report = await readiness.check();
  if (report.ok) return { ok: true as const, checks: { table: 'up' as const, bucket: 'up' as const } };
  const down = (Object.keys(report.checks) as (keyof typeof report.checks)[]).filter((name) => report.checks[name] === 'down');
  // One second: the next check is a fresh one.
  return HttpReply.status(503, { error: { code: 'not_ready', message: `Not ready: the ${down.join(' and the ')} did not answer`, checks: report.checks } }, { 'retry-after': '1' });
});
export const openapi = implement(routes.openapi, () => openApiDocument as unknown as Record<string, unknown>);
export const odrlProfile = implement(routes.odrlProfile, () => HttpReply.json(comptoirOdrlProfile(), 'application/ld+json; charset=utf-8', 3600));

/** Lambda entry of the `public` function group. */
export const handler = dispatch('public', { health, ready, openapi, odrlProfile });
