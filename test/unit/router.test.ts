import { describe, expect, it } from 'vitest';
import { LocalRouter } from '../../infra/local/router.ts';
import { routeKeyOf, routes } from '../../schemas/routes.ts';

describe('local router', () => {
  const router = new LocalRouter();

  it('matches every declared route by its own path template', () => {
    for (const [id, r] of Object.entries(routes)) {
      const path = r.path.replace(/\{(\w+)\}/g, 'x_$1');
      const matched = router.match(r.method, path);
      expect(matched?.id, routeKeyOf(r)).toBe(id);
    }
  });

  it('prefers literal segments over parameters, as API Gateway does', () => {
    expect(router.match('GET', '/v1/audit/verify')?.id).toBe('verifyAudit');
  });

  it('decodes path parameters', () => {
    expect(router.match('GET', '/v1/partners/prt%5F1')?.pathParameters).toEqual({ id: 'prt_1' });
  });

  it.each([
    ['GET', '/v1/nope'],
    ['PUT', '/v1/partners'],
    ['GET', '/v1/partners/a/b'],
    ['GET', '/v1/partners/%E0%A4%A'],
  ])('answers nothing for %s %s', (method, path) => {
    expect(router.match(method, path)).toBeUndefined();
  });
});
