import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCatalogueStore } from '../../functions/adapters/dynamo/catalogue-store.ts';
import { createDocumentClient, type DynamoDBDocumentClient } from '../../functions/adapters/dynamo/client.ts';
import { INGEST_TIMEOUT_SECONDS, MAX_REDRIVES, SWEEP_GRACE_SECONDS, UPLOAD_URL_SECONDS, ingestLeaseUntil, validationDeadline } from '../../functions/domain/catalogue/in-flight.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { dynamoEndpoint } from '../support/emulators.ts';

const CSV = Buffer.from('station,count\nNord,1\nSud,2\n');
const SCHEMA = { fields: [{ name: 'station', type: 'string', required: true }, { name: 'count', type: 'integer' }] };
const later = (seconds: number) => new Date(Date.now() + seconds * 1000);
/** Past the deadline of a validation driven now. */
const pastValidation = () => later(INGEST_TIMEOUT_SECONDS + SWEEP_GRACE_SECONDS + 60);

describe('the schedule sweeps versions left in flight (local runtime, real emulators)', () => {
  let t: TestRuntime;
  let db: DynamoDBDocumentClient;
  let store: DynamoCatalogueStore;
  let dsp: string;

  beforeAll(async () => {
    t = await startTestRuntime();
    dsp = t.keys.dsp.key;
    db = createDocumentClient({ endpoint: dynamoEndpoint() });
    store = new DynamoCatalogueStore(db, t.tableName);
  });
  afterAll(async () => {
    db.destroy();
    await t.stop();
  });

  const createDataset = async () => {
    const res = await t.call('POST', '/v1/datasets', { key: dsp, body: { title: 'Compteurs', description: 'x', theme: 'water', keywords: [], classification: 'shared', format: 'csv', schema: SCHEMA } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };
  const startVersion = async (datasetId: string, bytes: Buffer) => {
    const started = await t.call('POST', `/v1/datasets/${datasetId}/versions`, { key: dsp, body: { bytes: bytes.length } });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    return started.body as { version: { version: number }; upload: { url: string } };
  };
  /** What a crash right after completion leaves: the bytes in storage, the version validating, no ingest ever run. */
  const cutOffValidation = async (bytes: Buffer | undefined, extra: { redrives?: number } = {}) => {
    const datasetId = await createDataset();
    const started = await startVersion(datasetId, bytes ?? CSV);
    if (bytes) expect((await fetch(started.upload.url, { method: 'PUT', body: bytes })).status).toBe(200);
    await store.transition(datasetId, 1, ['uploading'], { status: 'validating', sweepAt: validationDeadline(new Date()), ...extra }, undefined);
    return datasetId;
  };
  const version = async (datasetId: string, n = 1) => (await t.call('GET', `/v1/datasets/${datasetId}/versions/${n}`, { key: dsp })).body;
  const actionsOn = async (datasetId: string) => {
    const page = await t.call('GET', `/v1/audit?subject=${datasetId}&limit=500`, { key: t.keys.officer.key });
    return (page.body.items as { body?: { action: string } }[]).map((e) => e.body?.action);
  };
  const expectChainValid = async () => expect((await t.call('GET', '/v1/audit/verify?limit=10000', { key: t.keys.officer.key })).body).toMatchObject({ valid: true });

  it('re-drives a validation cut off by a crash and publishes it exactly once, even with two schedules at once', async () => {
    const datasetId = await cutOffValidation(CSV);

    // Before its deadline the version is left alone: an ingest may still be on its way.
    expect((await t.runtime.runSchedule(later(INGEST_TIMEOUT_SECONDS))).versions.redriven).toBe(0);
    const runs = await Promise.all([t.runtime.runSchedule(pastValidation()), t.runtime.runSchedule(pastValidation())]);
    await t.runtime.settle();

    expect(runs.map((r) => r.versions.redriven).sort()).toEqual([0, 1]);
    expect(await version(datasetId)).toMatchObject({ status: 'published', rows: 2 });
    const actions = await actionsOn(datasetId);
    expect(actions.filter((a) => a === 'dataset.version.redriven')).toHaveLength(1);
    expect(actions.filter((a) => a === 'dataset.version.published')).toHaveLength(1);
    expect((await t.runtime.runSchedule(later(10 * INGEST_TIMEOUT_SECONDS))).versions).toEqual({ redriven: 0, failed: 0 });
    await expectChainValid();
  });

  it('never re-drives into a live ingest: the re-driven attempt finds the lease held and leaves the version to it', async () => {
    const datasetId = await cutOffValidation(CSV);
    // A slow ingest holds the lease (it runs at most the function's timeout).
    const now = new Date();
    expect(await store.claimIngest(datasetId, 1, now.toISOString(), ingestLeaseUntil(now), validationDeadline(now))).toBe(1);

    expect((await t.runtime.runSchedule(pastValidation())).versions.redriven).toBe(1);
    await t.runtime.settle();

    expect(await version(datasetId)).toMatchObject({ status: 'validating' });
    expect((await actionsOn(datasetId)).filter((a) => a === 'dataset.version.published')).toHaveLength(0);
  });

  it('ends failed, with the reason shown on the version, a validation whose uploaded object is gone', async () => {
    const datasetId = await cutOffValidation(undefined);

    expect((await t.runtime.runSchedule(pastValidation())).versions.failed).toBe(1);
    await t.runtime.settle();

    expect(await version(datasetId)).toMatchObject({ status: 'failed', reason: expect.stringContaining('no longer in storage') });
    expect(await actionsOn(datasetId)).toContain('dataset.version.failed');
  });

  it('rejects with the quality reason a re-driven version whose object is garbage', async () => {
    const garbage = Buffer.from('station,count\nNord,beaucoup\n');
    const datasetId = await cutOffValidation(garbage);

    await t.runtime.runSchedule(pastValidation());
    await t.runtime.settle();

    expect(await version(datasetId)).toMatchObject({ status: 'rejected', reason: expect.stringContaining('break the declared schema') });
  });

  it(`re-drives a validation at most ${MAX_REDRIVES} times, then ends it failed with the reason`, async () => {
    // The state after repeated cut-offs: the last re-drive allowed, then none.
    const lastChance = await cutOffValidation(CSV, { redrives: MAX_REDRIVES - 1 });
    const exhausted = await cutOffValidation(CSV, { redrives: MAX_REDRIVES });

    await t.runtime.runSchedule(pastValidation());
    await t.runtime.settle();

    expect(await version(lastChance)).toMatchObject({ status: 'published' });
    expect(await version(exhausted)).toMatchObject({ status: 'failed', reason: expect.stringContaining(`re-driven ${MAX_REDRIVES} times`) });
    await expectChainValid();
  });

  it('ends an upload abandoned past its URLs failed with a reason, and a new upload then publishes', async () => {
    const datasetId = await createDataset();
    await startVersion(datasetId, CSV);

    expect((await t.runtime.runSchedule(later(UPLOAD_URL_SECONDS))).versions.failed).toBe(0);
    expect(await version(datasetId)).toMatchObject({ status: 'uploading' });
    expect((await t.runtime.runSchedule(later(UPLOAD_URL_SECONDS + SWEEP_GRACE_SECONDS + 60))).versions.failed).toBe(1);
    await t.runtime.settle();
    const failed = await version(datasetId);
    expect(failed).toMatchObject({ status: 'failed', reason: expect.stringContaining('not completed before its URLs expired') });
    expect(failed.reason).toContain('upload the file again');
    const listed = (await t.call('GET', `/v1/datasets/${datasetId}/versions`, { key: dsp })).body.items;
    expect(listed[0]).toMatchObject({ version: 1, status: 'failed', reason: failed.reason });

    const again = await startVersion(datasetId, CSV);
    expect(again.version.version).toBe(2);
    expect((await fetch(again.upload.url, { method: 'PUT', body: CSV })).status).toBe(200);
    expect((await t.call('POST', `/v1/datasets/${datasetId}/versions/2/complete`, { key: dsp, body: {} })).status).toBe(202);
    await t.runtime.settle();
    expect(await version(datasetId, 2)).toMatchObject({ status: 'published' });
    await expectChainValid();
  });
});
