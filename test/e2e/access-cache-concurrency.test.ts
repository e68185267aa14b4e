import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../functions/adapters/dynamo/client.ts';
import { DynamoAccessStore } from '../../functions/adapters/dynamo/access-store.ts';
import { DynamoCatalogueStore } from '../../functions/adapters/dynamo/catalogue-store.ts';
import { DynamoLicenceStore } from '../../functions/adapters/dynamo/licence-store.ts';
import { DynamoPolicyStore } from '../../functions/adapters/dynamo/policy-store.ts';
import { AuditTrail, systemActor } from '../../functions/domain/audit/audit-trail.ts';
import { systemClock, ulidGenerator } from '../../functions/domain/ids.ts';
import { AccessCache } from '../../functions/domain/licences/access-cache.ts';
import { AccessService } from '../../functions/domain/licences/access-service.ts';
import type { Principal } from '../../functions/domain/model.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { dynamoEndpoint } from '../support/emulators.ts';

// Two wirings of the access decision with their own caches, as two Lambda containers would be: the
// runtime's own (over HTTP) and a second one built here on its own client. What one process changes,
// the other's cache must never hide.
const CSV = 'station,level\nS1,3.2\n';
const QUOTA = 5;
const CONCURRENT = 50;

describe('the cached access decision across two processes', () => {
  let t: TestRuntime;
  let other: AccessService;
  let otherCache: AccessCache;
  let otherLicences: DynamoLicenceStore;
  let firm: Principal;
  let datasetId: string;

  const viaRuntime = (licenceId: string, purpose = 'research') => t.call('POST', `/v1/licences/${licenceId}/access`, { key: t.keys.private.key, body: { purpose } });
  const viaOther = (licenceId: string, purpose = 'research') => other.access(firm, licenceId, { purpose });

  /** An active licence of the firm on the dataset, with its own quota. */
  const licence = async (quota: number): Promise<string> => {
    const offer = await t.call('POST', '/v1/offers', {
      key: t.keys.dsp.key,
      body: { datasetId, template: 'territorial-restricted', audience: ['private'], clauses: [{ kind: 'purpose', params: { allowed: ['research'] } }, { kind: 'quota', params: { count: quota, per: 'P1D' } }] },
    });
    const requested = await t.call('POST', '/v1/licences', { key: t.keys.private.key, body: { offerId: offer.body.id, purpose: 'research' } });
    const signed = await t.call('POST', `/v1/licences/${requested.body.id}/sign`, { key: t.keys.private.key });
    expect(signed.body.state).toBe('active');
    return signed.body.id as string;
  };

  const publish = async (n: number) => {
    const started = await t.call('POST', `/v1/datasets/${datasetId}/versions`, { key: t.keys.dsp.key, body: { bytes: Buffer.byteLength(CSV) } });
    await fetch(started.body.upload.url, { method: 'PUT', body: CSV });
    await t.call('POST', `/v1/datasets/${datasetId}/versions/${n}/complete`, { key: t.keys.dsp.key, body: {} });
    await t.runtime.settle();
  };

  beforeAll(async () => {
    t = await startTestRuntime();
    const ds = await t.call('POST', '/v1/datasets', {
      key: t.keys.dsp.key,
      body: { title: 'Niveaux des réservoirs', description: 'Relevés', theme: 'water', classification: 'shared', format: 'csv', schema: { fields: [{ name: 'station', type: 'string' }, { name: 'level', type: 'number' }] } },
    });
    datasetId = ds.body.id;
    await publish(1);
    // The second process: its own client, stores and cache on the same table.
    const db = createDocumentClient({ endpoint: dynamoEndpoint() });
    const ids = ulidGenerator(systemClock);
    otherLicences = new DynamoLicenceStore(db, t.tableName);
    otherCache = new AccessCache();
    const { objectStore } = await import('../../functions/wiring/storage.ts');
    const { identityService } = await import('../../functions/wiring/identity.ts');
    other = new AccessService({
      licences: otherLicences,
      policies: new DynamoPolicyStore(db, t.tableName),
      catalogue: new DynamoCatalogueStore(db, t.tableName),
      store: new DynamoAccessStore(db, t.tableName),
      objects: objectStore,
      audit: new AuditTrail({ clock: systemClock, ids }),
      clock: systemClock,
      ids,
      cache: otherCache,
    });
    firm = (await identityService.authenticate(`Bearer ${t.keys.private.key}`))!;
  });
  afterAll(() => t.stop());

  it(`permits exactly ${QUOTA} of ${CONCURRENT} simultaneous accesses spread over both processes`, async () => {
    // Arrange: both caches warm, one access each (the quota counts them)
    const id = await licence(QUOTA);
    expect((await viaRuntime(id)).status).toBe(200);
    expect((await viaOther(id)).decision).toBe('permit');
    expect(otherCache.licences.get(id)).toBeDefined();

    // Act: the rest of the period's accesses at once, half through each process
    const answers = await Promise.all(
      Array.from({ length: CONCURRENT }, async (_, i) => (i % 2 === 0 ? (await viaRuntime(id)).body : viaOther(id))),
    );

    // Assert: the quota holds exactly, every other answer a quota denial
    expect(answers.filter((a) => a.decision === 'permit')).toHaveLength(QUOTA - 2);
    const denials = answers.filter((a) => a.decision === 'deny');
    expect(denials).toHaveLength(CONCURRENT - QUOTA + 2);
    for (const d of denials) expect(d.reasons).toEqual([{ clause: 'quota', message: expect.stringContaining(`quota of ${QUOTA} accesses reached`) }]);
  });

  it('denies the very next access in one process once the other has revoked the licence, both ways', async () => {
    for (const [revokeThrough, nextThrough] of [['runtime', 'other'], ['other', 'runtime']] as const) {
      // Arrange: a roomy quota, both caches warm
      const id = await licence(1000);
      expect((await viaRuntime(id)).status).toBe(200);
      expect((await viaOther(id)).decision).toBe('permit');
      expect(otherCache.licences.get(id)?.licence.state).toBe('active');

      // Act: the licensor revokes through one process (the runtime's HTTP route, or the store's one door from the other)
      if (revokeThrough === 'runtime') {
        expect((await t.call('POST', `/v1/licences/${id}/revoke`, { key: t.keys.dsp.key, body: { reason: 'fin du partenariat' } })).status).toBe(200);
      } else {
        await otherLicences.transition(id, { from: ['active'], to: 'revoked', at: new Date().toISOString(), by: 'test', reason: 'fin du partenariat' }, new AuditTrail({ clock: systemClock, ids: ulidGenerator(systemClock) }).record({ actor: systemActor('test'), action: 'licence.revoked', subject: id, parties: [] }));
      }

      // Assert: the very next access through the other process is denied on validity
      const next = nextThrough === 'other' ? await viaOther(id) : (await viaRuntime(id)).body;
      expect(next).toMatchObject({ decision: 'deny', reasons: [{ clause: 'validity', message: 'the licence is revoked' }] });
    }
  });

  it('decides on the clauses of the current revision when the licence left active and came back changed', async () => {
    // Arrange: the other process holds the licence granted for research
    const id = await licence(1000);
    expect((await viaOther(id)).decision).toBe('permit');
    const audit = new AuditTrail({ clock: systemClock, ids: ulidGenerator(systemClock) });
    const event = () => audit.record({ actor: systemActor('test'), action: 'licence.test', subject: id, parties: [] });

    // Act: suspended, then active again for another purpose only, through the one door
    const at = new Date().toISOString();
    await otherLicences.transition(id, { from: ['active'], to: 'suspended', at, by: 'test' }, event());
    await otherLicences.transition(id, { from: ['suspended'], to: 'active', at, by: 'test', set: { clauses: [{ kind: 'purpose', params: { allowed: ['teaching'] } }] } }, event());

    // Assert: the cached clauses (research) no longer permit anything
    expect(await viaOther(id)).toMatchObject({ decision: 'deny', reasons: [{ clause: 'purpose' }] });
    expect(await viaOther(id, 'teaching')).toMatchObject({ decision: 'permit' });
  });

  it('serves the newly published version to a process whose cache still holds the previous one', async () => {
    // Arrange: the other process has read the dataset with version 1 as its latest
    const id = await licence(1000);
    expect(await viaOther(id)).toMatchObject({ decision: 'permit', version: 1 });

    // Act: version 2 is published
    await publish(2);

    // Assert: the next access through the other process delivers version 2
    expect(await viaOther(id)).toMatchObject({ decision: 'permit', version: 2 });
  });

  it('stops serving a version purged while cached', async () => {
    // Arrange: the other process has read version 1, asked for by number
    const id = await licence(1000);
    expect(await viaOther(id)).toMatchObject({ decision: 'permit' });
    expect(await other.access(firm, id, { purpose: 'research', version: 1 })).toMatchObject({ decision: 'permit', version: 1 });

    // Act: the owner purges version 1
    const purged = await t.call('DELETE', `/v1/datasets/${datasetId}/versions/1?reason=${encodeURIComponent('erreur de saisie')}`, { key: t.keys.dsp.key });
    expect(purged.status).toBe(200);

    // Assert: version 1 is no longer handed out
    await expect(other.access(firm, id, { purpose: 'research', version: 1 })).rejects.toMatchObject({ code: 'version_unavailable' });
  });
});
