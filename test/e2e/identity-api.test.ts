import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

describe('identity over HTTP on the local runtime', () => {
  let t: TestRuntime;
  beforeAll(async () => {
    t = await startTestRuntime();
  });
  afterAll(() => t.stop());

  it.each(['officer', 'dsp', 'public', 'private'] as const)('answers GET /v1/me for the demo %s key', async (slot) => {
    const { status, body } = await t.call('GET', '/v1/me', { key: t.keys[slot].key });
    expect(status).toBe(200);
    expect(body).toMatchObject({ partner: { id: t.keys[slot].partnerId, name: t.keys[slot].partnerName }, role: t.keys[slot].role });
    expect(body.partner.kind).toBe(slot === 'officer' ? 'collectivity' : slot);
  });

  it.each([
    ['no key', undefined],
    ['an unknown key', 'cpt_' + 'x'.repeat(43)],
    ['garbage', 'not-a-key'],
  ])('answers 401 with the error shape for %s', async (_what, key) => {
    const { status, body } = await t.call('GET', '/v1/me', key ? { key } : {});
    expect(status).toBe(401);
    expect(body).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
  });

  it('lets an officer register a partner whose admin key works at once', async () => {
    const { status, body } = await t.call('POST', '/v1/partners', {
      key: t.keys.officer.key,
      body: { name: 'Parkings de la Ville', kind: 'dsp', contactEmail: 'data@parkings.example' },
    });
    expect(status).toBe(201);
    expect(body.adminKey.key).toMatch(/^cpt_/);
    const me = await t.call('GET', '/v1/me', { key: body.adminKey.key });
    expect(me.body).toMatchObject({ partner: { id: body.partner.id, kind: 'dsp' }, role: 'admin' });
  });

  it('refuses partner registration to non-officers (403)', async () => {
    const { status, body } = await t.call('POST', '/v1/partners', { key: t.keys.private.key, body: { name: 'Me too', kind: 'private', contactEmail: 'x@y.example' } });
    expect(status).toBe(403);
    expect(body.error.code).toBe('role_not_allowed');
  });

  it('forbids a member from creating keys (403)', async () => {
    const admin = t.keys.public;
    const member = await t.call('POST', `/v1/partners/${admin.partnerId}/keys`, { key: admin.key, body: { role: 'member', label: 'etl' } });
    expect(member.status).toBe(201);
    const { status, body } = await t.call('POST', `/v1/partners/${admin.partnerId}/keys`, { key: member.body.key, body: { role: 'member', label: 'sneaky' } });
    expect(status).toBe(403);
    expect(body.error.code).toBe('role_not_allowed');
  });

  it("hides another partner's records (404, not 403)", async () => {
    const other = t.keys.dsp.partnerId;
    const { status, body } = await t.call('GET', `/v1/partners/${other}`, { key: t.keys.private.key });
    expect(status).toBe(404);
    expect(body.error.code).toBe('not_found');
    expect((await t.call('GET', `/v1/partners/${other}/keys`, { key: t.keys.private.key })).status).toBe(404);
    const list = await t.call('GET', '/v1/partners', { key: t.keys.private.key });
    expect(list.body.items.map((p: { id: string }) => p.id)).toEqual([t.keys.private.partnerId]);
  });

  it('stops a revoked key on the very next request (401)', async () => {
    const admin = t.keys.dsp;
    const issued = await t.call('POST', `/v1/partners/${admin.partnerId}/keys`, { key: admin.key, body: { role: 'member', label: 'cron' } });
    expect((await t.call('GET', '/v1/me', { key: issued.body.key })).status).toBe(200);

    const revoked = await t.call('DELETE', `/v1/keys/${issued.body.keyId}`, { key: admin.key });

    expect(revoked.status).toBe(204);
    expect((await t.call('GET', '/v1/me', { key: issued.body.key })).status).toBe(401);
    expect((await t.call('DELETE', `/v1/keys/${issued.body.keyId}`, { key: admin.key })).status).toBe(409);
  });

  it.each([
    ['a missing field', { name: 'X', kind: 'dsp' }, ['contactEmail']],
    ['a bad kind', { name: 'X', kind: 'collectivity', contactEmail: 'a@b.example' }, ['kind']],
    ['a bad SIREN checksum', { name: 'X', kind: 'dsp', siren: '123456789', contactEmail: 'a@b.example' }, ['siren']],
    ['an unknown field', { name: 'X', kind: 'dsp', contactEmail: 'a@b.example', admin: true }, []],
    ['a bad email', { name: 'X', kind: 'dsp', contactEmail: 'nope' }, ['contactEmail']],
  ])('answers 400 with zod issues for %s, and changes nothing', async (_what, body, paths) => {
    await t.runtime.settle();
    const partnersBefore = (await t.call('GET', '/v1/partners?limit=100', { key: t.keys.officer.key })).body.items.length;
    const headBefore = (await t.call('GET', '/v1/audit/verify', { key: t.keys.officer.key })).body.head;

    const res = await t.call('POST', '/v1/partners', { key: t.keys.officer.key, body });

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.details.length).toBeGreaterThan(0);
    for (const path of paths) expect(res.body.error.details).toContainEqual(expect.objectContaining({ in: 'body', path: [path] }));
    await t.runtime.settle();
    expect((await t.call('GET', '/v1/partners?limit=100', { key: t.keys.officer.key })).body.items).toHaveLength(partnersBefore);
    expect((await t.call('GET', '/v1/audit/verify', { key: t.keys.officer.key })).body.head).toEqual(headBefore);
  });

  it('answers 400 for malformed JSON, a bad query and a bad cursor', async () => {
    expect((await t.call('POST', '/v1/partners', { key: t.keys.officer.key, rawBody: '{"name":' })).body.error.message).toContain('not valid JSON');
    expect((await t.call('GET', '/v1/partners?limit=0', { key: t.keys.officer.key })).status).toBe(400);
    expect((await t.call('POST', '/v1/partners', { key: t.keys.officer.key, rawBody: 'null' })).status).toBe(400);
    expect((await t.call('GET', '/v1/partners?cursor=zzz', { key: t.keys.officer.key })).status).toBe(400);
    expect((await t.call('GET', '/v1/audit?after=-1', { key: t.keys.officer.key })).status).toBe(400);
  });

  it('answers 404 with the error shape for unknown routes', async () => {
    const { status, body } = await t.call('GET', '/v1/nothing-here', { key: t.keys.officer.key });
    expect(status).toBe(404);
    expect(body.error.code).toBe('route_not_found');
  });
});
