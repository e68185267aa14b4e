import type { Context } from 'aws-lambda';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { routes, type RouteDeclaration } from '../../schemas/routes.ts';

/** Every route declaring `allow.acr`, against sessions signed in below, at and above the territory's level. */

const all = Object.entries(routes) as [string, RouteDeclaration][];
const withAcr = all.filter(([, r]) => r.allow !== 'anyone' && r.allow.acr?.includes('admin'));
const adminWithout = all.filter(([, r]) => r.allow !== 'anyone' && r.allow.roles.includes('admin') && !r.allow.acr);

const context = (role: string, acr?: string, session = true) => ({
  keyId: 'psn_01JAAAAAAAAAAAAAAAAAAAAAAA',
  partnerId: 'ptn_01JAAAAAAAAAAAAAAAAAAAAAAA',
  role,
  label: 'nadia.benali@eaux-grand-territoire.example',
  ...(session
    ? { sessionId: 'ses_01JAAAAAAAAAAAAAAAAAAAAAAA', personId: 'psn_01JAAAAAAAAAAAAAAAAAAAAAAA', email: 'nadia.benali@eaux-grand-territoire.example', expiresAt: '2099-01-01T00:00:00.000Z', csrfToken: 'x', ...(acr ? { acr } : {}) }
    : {}),
});
const event = (route: RouteDeclaration, lambda: object) =>
  ({ headers: {}, routeKey: `${route.method} ${route.path}`, requestContext: { http: { method: route.method }, authorizer: { lambda } }, pathParameters: {}, queryStringParameters: {} }) as never;

describe('the partner-admin assurance level, declared per route', () => {
  let implement: typeof import('../../functions/http/route-handler.ts').implement;
  beforeAll(async () => {
    vi.resetModules();
    vi.stubEnv('COMPTOIR_PARTNER_ADMIN_ACR', 'eidas2');
    ({ implement } = await import('../../functions/http/route-handler.ts'));
  });

  /** The error code the route answers before its implementation, or undefined when the implementation ran. */
  const codeOf = async (route: RouteDeclaration, lambda: object) => {
    const ran = vi.fn(async () => undefined);
    const result = (await implement(route, ran as never)(event(route, lambda), {} as Context)) as { statusCode: number; body?: string };
    return ran.mock.calls.length > 0 ? undefined : (JSON.parse(result.body ?? '{}') as { error?: { code: string } }).error?.code;
  };

  it('is declared on every route admins may call and members may not', () => {
    expect(withAcr.length).toBeGreaterThan(10);
    expect(adminWithout.filter(([, r]) => r.allow !== 'anyone' && !r.allow.roles.includes('member')).map(([id]) => id)).toEqual([]);
  });

  it.each(withAcr)('%s: an admin session below the level gets acr_insufficient; at or above it, or with a key, the route runs on', async (_id, route) => {
    expect(await codeOf(route, context('admin'))).toBe('acr_insufficient');
    expect(await codeOf(route, context('admin', 'eidas1'))).toBe('acr_insufficient');
    expect(await codeOf(route, context('admin', 'https://proconnect.gouv.fr/assurance/certification-dirigeant'))).toBe('acr_insufficient');
    for (const lambda of [context('admin', 'eidas2'), context('admin', 'eidas3'), context('admin', undefined, false)]) {
      expect(await codeOf(route, lambda)).not.toBe('acr_insufficient');
    }
    if (route.allow !== 'anyone' && route.allow.roles.includes('officer')) expect(await codeOf(route, context('officer', 'eidas1'))).not.toBe('acr_insufficient');
  });

  it.each(adminWithout)('%s: asks no level of an admin (members may call it too)', async (_id, route) => {
    expect(await codeOf(route, context('admin', 'eidas1'))).not.toBe('acr_insufficient');
  });
});
