import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ORIGIN_VERIFY_HEADER, cameThroughEdge } from '../../functions/http/origin.ts';
import type { HttpEvent } from '../../functions/http/route-handler.ts';

const SECRET = 'gJ4c2vS0v5Qd8m1kZ7xWbN3yTq6eRf9uHp2aLs5oKi8jDc4n';

describe('requests that bypass the edge', () => {
  afterEach(() => vi.unstubAllEnvs());

  // Headers a request brings, then whether it came through the distribution.
  it.each([
    ['no header', {}, false],
    ['an empty value', { [ORIGIN_VERIFY_HEADER]: '' }, false],
    ['a guess of the same length', { [ORIGIN_VERIFY_HEADER]: SECRET.replace('g', 'h') }, false],
    ['a prefix', { [ORIGIN_VERIFY_HEADER]: SECRET.slice(0, 12) }, false],
    ['the secret with a trailing space', { [ORIGIN_VERIFY_HEADER]: `${SECRET} ` }, false],
    ['the secret', { [ORIGIN_VERIFY_HEADER]: SECRET }, true],
  ])('%s: %s', (_, headers, through) => {
    expect(cameThroughEdge(headers, SECRET)).toBe(through);
  });

  it('get 403 at a function group\'s entry before any handler runs, and the route otherwise', async () => {
    // Arrange: a fresh module registry with the secret the stack would set
    vi.resetModules();
    vi.stubEnv('COMPTOIR_ORIGIN_SECRET', SECRET);
    const { dispatch } = await import('../../functions/http/dispatch.ts');
    const ran = vi.fn(async () => ({ statusCode: 200, body: '{}' }));
    const handler = dispatch('public', { health: ran } as never);
    const event = (headers: Record<string, string>) => ({ routeKey: 'GET /health', headers }) as unknown as HttpEvent;

    // Act
    const direct = await handler(event({ host: 'abc123.execute-api.eu-west-3.amazonaws.com' }), {} as Context);
    const through = await handler(event({ [ORIGIN_VERIFY_HEADER]: SECRET }), {} as Context);

    // Assert
    expect(direct).toMatchObject({ statusCode: 403 });
    expect(JSON.parse((direct as { body: string }).body).error.code).toBe('edge_bypassed');
    expect(ran).toHaveBeenCalledTimes(1);
    expect(through).toMatchObject({ statusCode: 200 });
  });

  it('get no key lookup from the authorizer, which denies them', async () => {
    // Arrange: a table endpoint nobody listens on, so a lookup would fail rather than pass
    vi.resetModules();
    vi.stubEnv('COMPTOIR_ORIGIN_SECRET', SECRET);
    vi.stubEnv('TABLE_NAME', 'comptoir-unused');
    vi.stubEnv('COMPTOIR_DYNAMODB_ENDPOINT', 'http://127.0.0.1:9');
    vi.stubEnv('COMPTOIR_PUBLIC_URL', 'https://donnees.example.fr');
    const { handler } = await import('../../functions/handlers/authorizer.ts');
    const event = (headers: Record<string, string>) => ({ type: 'REQUEST', routeKey: 'GET /v1/me', headers, requestContext: { http: { method: 'GET' } } }) as never;

    // Act
    const direct = await handler(event({ authorization: 'Bearer cpt_live_guess' }));
    const through = await handler(event({ [ORIGIN_VERIFY_HEADER]: SECRET }));

    // Assert
    expect(direct).toEqual({ isAuthorized: false, context: {} });
    expect(through).toEqual({ isAuthorized: true, context: {} });
  });

  it('cannot be let through by a missing setting: the functions refuse to load without the secret', async () => {
    vi.resetModules();
    vi.stubEnv('COMPTOIR_ORIGIN_SECRET', '');
    await expect(import('../../functions/http/dispatch.ts')).rejects.toThrow(/Missing environment variable COMPTOIR_ORIGIN_SECRET/);
  });
});
