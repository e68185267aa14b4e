import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

describe('officer keys over HTTP on the local runtime', () => {
  let t: TestRuntime;
  let collectivityId: string;
  /** The one officer key known to be active between tests. */
  let current: string;

  const issueOfficer = async (by: string, label: string) => {
    const res = await t.call('POST', `/v1/partners/${collectivityId}/keys`, { key: by, body: { role: 'officer', label } });
    expect(res.status).toBe(201);
    return res.body as { keyId: string; key: string };
  };
  const keyIdOf = async (key: string) => (await t.call('GET', '/v1/me', { key })).body.principal.keyId as string;
  const revoke = (by: string, keyId: string) => t.call('DELETE', `/v1/keys/${keyId}`, { key: by });
  const works = async (key: string) => (await t.call('GET', '/v1/me', { key })).status === 200;
  const activeOfficerKeys = async (key: string) =>
    (await t.call('GET', `/v1/partners/${collectivityId}/keys?limit=100`, { key })).body.items.filter((k: { revokedAt?: string }) => !k.revokedAt);

  beforeAll(async () => {
    t = await startTestRuntime();
    collectivityId = t.keys.officer.partnerId;
    current = t.keys.officer.key;
  });
  afterAll(() => t.stop());

  it('refuses to revoke the last active officer key (409 last_officer_key)', async () => {
    const res = await revoke(current, await keyIdOf(current));

    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('last_officer_key');
    expect(await works(current)).toBe(true);
  });

  it('lets exactly one of two officer keys revoking each other at once succeed, ten times over, and the other keeps working', async () => {
    for (let round = 0; round < 10; round++) {
      // Arrange: exactly two active officer keys
      const a = await issueOfficer(current, `a${round}`);
      const b = await issueOfficer(current, `b${round}`);
      expect((await revoke(a.key, await keyIdOf(current))).status).toBe(204);

      // Act
      const [byA, byB] = await Promise.all([revoke(a.key, b.keyId), revoke(b.key, a.keyId)]);

      // Assert: one 204; the other refused with 409 (or 401 when its own key was revoked before it was read)
      const statuses = [byA.status, byB.status];
      expect(statuses.filter((s) => s === 204), `round ${round}: ${JSON.stringify([byA.body, byB.body])}`).toHaveLength(1);
      expect(statuses.find((s) => s !== 204)).toBeOneOf([409, 401]);
      const survivor = byA.status === 204 ? a.key : b.key;
      expect(await works(survivor)).toBe(true);
      expect(await works(survivor === a.key ? b.key : a.key)).toBe(false);
      expect(await activeOfficerKeys(survivor)).toHaveLength(1);
      current = survivor;
    }
  }, 180_000);

  it('keeps at least one of three officer keys revoking one another at once', async () => {
    // Arrange: exactly three active officer keys
    const keys = [await issueOfficer(current, 'x'), await issueOfficer(current, 'y'), await issueOfficer(current, 'z')];
    expect((await revoke(keys[0]!.key, await keyIdOf(current))).status).toBe(204);

    // Act: x revokes y, y revokes z, z revokes x
    const answers = await Promise.all(keys.map((k, i) => revoke(k.key, keys[(i + 1) % 3]!.keyId)));

    // Assert
    const alive = [];
    for (const k of keys) if (await works(k.key)) alive.push(k.key);
    expect(alive.length, JSON.stringify(answers.map((a) => a.status))).toBeGreaterThanOrEqual(1);
    expect(answers.filter((a) => a.status === 204)).toHaveLength(3 - alive.length);
    expect(await activeOfficerKeys(alive[0]!)).toHaveLength(alive.length);
  });
});
