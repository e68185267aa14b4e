import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDuration } from '../../contracts/calendar.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

const CSV = 'station,level\nS1,3.2\nS2,1.7\n';
const QUOTA = 5;
const CONCURRENT = 50;

describe('quota under concurrent accesses over HTTP on the local runtime', () => {
  let t: TestRuntime;
  let licence: { id: string; activatedAt: string };

  const access = () => t.call('POST', `/v1/licences/${licence.id}/access`, { key: t.keys.private.key, body: { purpose: 'research' } });

  beforeAll(async () => {
    t = await startTestRuntime();
    const { dsp, private: firm } = t.keys;
    const ds = await t.call('POST', '/v1/datasets', {
      key: dsp.key,
      body: {
        title: 'Niveaux des réservoirs', description: 'Relevés', theme: 'water', classification: 'shared', format: 'csv',
        schema: { fields: [{ name: 'station', type: 'string' }, { name: 'level', type: 'number' }] },
      },
    });
    const started = await t.call('POST', `/v1/datasets/${ds.body.id}/versions`, { key: dsp.key, body: { bytes: Buffer.byteLength(CSV) } });
    await fetch(started.body.upload.url, { method: 'PUT', body: CSV });
    await t.call('POST', `/v1/datasets/${ds.body.id}/versions/1/complete`, { key: dsp.key, body: {} });
    await t.runtime.settle();
    const offer = await t.call('POST', '/v1/offers', {
      key: dsp.key,
      body: {
        datasetId: ds.body.id, template: 'territorial-restricted', audience: ['private'],
        clauses: [{ kind: 'purpose', params: { allowed: ['research'] } }, { kind: 'quota', params: { count: QUOTA, per: 'P1D' } }],
      },
    });
    const requested = await t.call('POST', '/v1/licences', { key: firm.key, body: { offerId: offer.body.id, purpose: 'research' } });
    const signed = await t.call('POST', `/v1/licences/${requested.body.id}/sign`, { key: firm.key });
    expect(signed.body.state).toBe('active');
    licence = { id: signed.body.id, activatedAt: signed.body.activatedAt };
  });
  afterAll(() => t.stop());

  it(`permits exactly ${QUOTA} of ${CONCURRENT} simultaneous accesses and denies the rest on the quota clause`, async () => {
    // Act: every access at once
    const answers = await Promise.all(Array.from({ length: CONCURRENT }, access));

    // Assert: exactly the quota is granted, every other answer is a quota denial (no 409, no 5xx)
    const windowEnd = addDuration(licence.activatedAt, 'P1D');
    const permits = answers.filter((a) => a.status === 200);
    const denials = answers.filter((a) => a.status === 403);
    expect(answers.map((a) => a.status).sort()).toEqual([...Array(QUOTA).fill(200), ...Array(CONCURRENT - QUOTA).fill(403)]);
    for (const p of permits) expect(p.body).toMatchObject({ decision: 'permit', status: 'ready', url: expect.any(String) });
    expect(new Set(permits.map((p) => p.body.accessId)).size).toBe(QUOTA);
    for (const d of denials) {
      expect(d.body).toMatchObject({ decision: 'deny', error: { code: 'access_denied' } });
      expect(d.body.reasons).toEqual([{ clause: 'quota', message: `quota of ${QUOTA} accesses reached until ${windowEnd}` }]);
    }
  });

  it('records only the granted accesses, and keeps denying until the period ends', async () => {
    // A denied access leaves nothing behind: the audit trail holds the granted ones only.
    await t.runtime.settle();
    const trail = await t.call('GET', `/v1/audit?subject=${licence.id}&limit=500`, { key: t.keys.private.key });
    expect(trail.body.items.filter((e: { body?: { action: string } }) => e.body?.action === 'licence.accessed')).toHaveLength(QUOTA);

    const later = await access();
    expect(later.status).toBe(403);
    expect(later.body.reasons).toEqual([{ clause: 'quota', message: expect.stringContaining(`until ${addDuration(licence.activatedAt, 'P1D')}`) }]);
  });
});
