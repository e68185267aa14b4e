import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../schemas/routes.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

describe('public routes on the local runtime', () => {
  let t: TestRuntime;
  beforeAll(async () => {
    t = await startTestRuntime();
  });
  afterAll(() => t.stop());

  it('answers /health without a key', async () => {
    expect(await t.call('GET', '/health')).toMatchObject({ status: 200, body: { ok: true } });
  });

  it('serves a valid OpenAPI 3.1 document describing every route', async () => {
    const { status, body } = await t.call('GET', '/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    await SwaggerParser.validate(structuredClone(body));
    for (const [id, r] of Object.entries(routes)) {
      const op = body.paths[r.path]?.[r.method.toLowerCase()];
      expect(op?.operationId, `${r.method} ${r.path}`).toBe(id);
      expect(Object.keys(op.responses)).toContain(String(r.status));
      if (r.auth === 'key') expect(op.responses['401']).toBeDefined();
    }
  });
});
