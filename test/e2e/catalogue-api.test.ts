import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { validateDcat } from '../support/shacl.ts';

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const SCHEMA = {
  fields: [
    { name: 'station', type: 'string', required: true },
    { name: 'count', type: 'integer' },
    { name: 'measuredOn', type: 'date' },
  ],
};

describe('catalogue over HTTP on the local runtime', () => {
  let t: TestRuntime;
  let dsp: string;
  let officer: string;

  beforeAll(async () => {
    // Every bus event is delivered twice, as EventBridge may: ingest must not publish or delete twice.
    t = await startTestRuntime({ duplicateBusDeliveries: true });
    dsp = t.keys.dsp.key;
    officer = t.keys.officer.key;
  });
  afterAll(() => t.stop());

  const createDataset = async (key: string, overrides: Record<string, unknown> = {}) => {
    const res = await t.call('POST', '/v1/datasets', {
      key,
      body: { title: 'Relevés des compteurs d’eau', description: 'Index journaliers par station', theme: 'water', keywords: ['eau', 'compteurs'], classification: 'shared', format: 'csv', schema: SCHEMA, ...overrides },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string };
  };

  /** Uploads bytes the way a client script does: start, PUT to S3, complete, wait for ingest. */
  const deliver = async (key: string, datasetId: string, bytes: Buffer, declared: string | undefined = sha256(bytes)) => {
    const started = await t.call('POST', `/v1/datasets/${datasetId}/versions`, { key, body: { bytes: bytes.length, ...(declared ? { sha256: declared } : {}) } });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const put = await fetch(started.body.upload.url, { method: 'PUT', body: bytes });
    expect(put.status).toBe(200);
    const n = started.body.version.version;
    const done = await t.call('POST', `/v1/datasets/${datasetId}/versions/${n}/complete`, { key, body: {} });
    expect(done.status, JSON.stringify(done.body)).toBe(202);
    await t.runtime.settle();
    return (await t.call('GET', `/v1/datasets/${datasetId}/versions/${n}`, { key })).body;
  };

  it('publishes a 3-row CSV delivered by an operator, with its SHA-256, size, rows and quality report', async () => {
    const { id } = await createDataset(dsp);
    const csv = Buffer.from('station;count;measuredOn\r\nNord;12;2026-11-01\r\n"Sud; bis";7;2026-11-02\r\nEst;;2026-11-03\r\n');

    const version = await deliver(dsp, id, csv);

    expect(version).toMatchObject({ status: 'published', version: 1, sha256: sha256(csv), bytes: csv.length, rows: 3, quality: { rows: 3, errorCount: 0, emptyCounts: { count: 1 } } });
    expect((await t.call('GET', `/v1/datasets/${id}`, { key: t.keys.private.key })).body).toMatchObject({ latestVersion: 1, publisher: { id: t.keys.dsp.partnerId, kind: 'dsp' } });
  });

  it('rejects a CSV with a bad integer, naming the row and the field', async () => {
    const { id } = await createDataset(dsp);
    const csv = Buffer.from('station,count,measuredOn\nNord,12,2026-11-01\nSud,douze,2026-11-02\nEst,3,2026-02-30\n');

    const version = await deliver(dsp, id, csv);

    expect(version.status).toBe('rejected');
    expect(version.quality.errors).toEqual([
      { row: 2, field: 'count', reason: expect.stringContaining('integer') },
      { row: 3, field: 'measuredOn', reason: expect.stringContaining('date') },
    ]);
    expect(version.reason).toContain('2 value(s)');
    expect((await t.call('GET', `/v1/datasets/${id}`, { key: dsp })).body.latestVersion).toBeUndefined();
  });

  it('rejects bytes whose SHA-256 differs from the declared one', async () => {
    const { id } = await createDataset(dsp, { format: 'file', schema: undefined });
    const version = await deliver(dsp, id, Buffer.from('PK\u0003\u0004 gtfs'), 'a'.repeat(64));
    expect(version).toMatchObject({ status: 'rejected', reason: expect.stringContaining('does not match the declared') });
  });

  it('publishes an ~80 MiB multipart upload with the right checksum', async () => {
    const { id } = await createDataset(dsp);
    const line = 'Station-0123456789,123456,2026-11-29\n';
    const header = 'station,count,measuredOn\n';
    const body = Buffer.from(header + line.repeat(Math.ceil((80 * 1024 * 1024) / line.length)));

    const started = await t.call('POST', `/v1/datasets/${id}/versions`, { key: dsp, body: { bytes: body.length } });
    expect(started.body.upload).toMatchObject({ partSize: 8 * 1024 * 1024, partCount: 11 });
    const { parts, partSize, uploadId } = started.body.upload;
    expect(uploadId).toBeTruthy();
    const more = await t.call('POST', `/v1/datasets/${id}/versions/1/parts`, { key: dsp, body: { partNumbers: [11] } });
    expect(more.body.parts).toHaveLength(1);
    const etags = await Promise.all(
      parts.map(async (p: { partNumber: number; url: string }) => {
        const res = await fetch(p.url, { method: 'PUT', body: body.subarray((p.partNumber - 1) * partSize, p.partNumber * partSize) });
        expect(res.status).toBe(200);
        return { partNumber: p.partNumber, etag: res.headers.get('etag')! };
      }),
    );
    const early = await t.call('POST', `/v1/datasets/${id}/versions/1/complete`, { key: dsp, body: { parts: etags.slice(1) } });
    expect(early.body.error).toMatchObject({ code: 'upload_incomplete', message: expect.stringContaining('missing part(s) 1') });
    expect((await t.call('GET', `/v1/datasets/${id}/versions/1`, { key: dsp })).body.status).toBe('uploading');

    const done = await t.call('POST', `/v1/datasets/${id}/versions/1/complete`, { key: dsp, body: { parts: etags } });
    expect(done.status).toBe(202);
    expect((await t.call('POST', `/v1/datasets/${id}/versions/1/complete`, { key: dsp, body: { parts: etags } })).status).toBe(202);
    await t.runtime.settle();

    const version = (await t.call('GET', `/v1/datasets/${id}/versions/1`, { key: dsp })).body;
    expect(version).toMatchObject({ status: 'published', sha256: sha256(body), bytes: body.length, rows: Math.ceil((80 * 1024 * 1024) / line.length) });
  });

  it('keeps a version uploading when completed before any byte arrived, and only the owner may deliver', async () => {
    const { id } = await createDataset(dsp);
    const started = await t.call('POST', `/v1/datasets/${id}/versions`, { key: dsp, body: { bytes: 10 } });
    const early = await t.call('POST', `/v1/datasets/${id}/versions/1/complete`, { key: dsp, body: {} });
    expect(early).toMatchObject({ status: 422, body: { error: { code: 'upload_incomplete' } } });
    expect(started.body.version.status).toBe('uploading');
    expect((await t.call('POST', `/v1/datasets/${id}/versions`, { key: t.keys.private.key, body: { bytes: 10 } })).status).toBe(403);
    expect((await t.call('GET', `/v1/datasets/${id}/versions`, { key: t.keys.private.key })).status).toBe(403);
  });

  it('holds an upload URL to what it signs: another key, method or length, or no signature, gets 403 and stores nothing', async () => {
    const { id } = await createDataset(dsp);
    const csv = Buffer.from('station;count;measuredOn\r\nNord;1;2026-11-01\r\n');
    const started = await t.call('POST', `/v1/datasets/${id}/versions`, { key: dsp, body: { bytes: csv.length, sha256: sha256(csv) } });
    const url = new URL(started.body.upload.url);
    expect(url.pathname).toContain('/incoming/');
    const versionsKey = new URL(url.href.replace('/incoming/', '/versions/'));

    const refused = await Promise.all([
      fetch(versionsKey, { method: 'PUT', body: csv }),
      fetch(url, { method: 'PUT', body: Buffer.concat([csv, Buffer.from('Sud;2;2026-11-02\r\n')]) }),
      fetch(url, { method: 'DELETE' }),
      fetch(`${url.origin}${url.pathname}`, { method: 'PUT', body: csv }),
      fetch(`${url.origin}${url.pathname.split('/').slice(0, 2).join('/')}?list-type=2`),
    ]);
    expect(refused.map((r) => r.status)).toEqual([403, 403, 403, 403, 403]);
    // The genuine URL still works: nothing above wrote the incoming object, and the version publishes.
    expect((await t.call('POST', `/v1/datasets/${id}/versions/1/complete`, { key: dsp, body: {} })).body).toMatchObject({ error: { code: 'upload_incomplete' } });
    expect((await fetch(url, { method: 'PUT', body: csv })).status).toBe(200);
    expect((await t.call('POST', `/v1/datasets/${id}/versions/1/complete`, { key: dsp, body: {} })).status).toBe(202);
    await t.runtime.settle();
    expect((await t.call('GET', `/v1/datasets/${id}/versions/1`, { key: dsp })).body).toMatchObject({ status: 'published', sha256: sha256(csv) });
  });

  it('serves open data without a key, never a restricted dataset', async () => {
    const open = await createDataset(t.keys.public.key, { title: 'Arrêts de bus', theme: 'mobility', classification: 'open', licence: 'odbl-1.0' });
    const csv = Buffer.from('station,count,measuredOn\nGare,1,2026-01-01\n');
    expect((await deliver(t.keys.public.key, open.id, csv)).open).toBe(true);
    const restricted = await createDataset(t.keys.public.key, { title: 'Réseau secret', classification: 'restricted' });
    await deliver(t.keys.public.key, restricted.id, csv);

    const list = await t.call('GET', '/open/datasets');
    expect(list.status).toBe(200);
    const ids = list.body.items.map((d: { id: string }) => d.id);
    expect(ids).toContain(open.id);
    expect(ids).not.toContain(restricted.id);

    const redirect = await fetch(`${t.runtime.url}/open/datasets/${open.id}/download`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    const bytes = Buffer.from(await (await fetch(redirect.headers.get('location')!)).arrayBuffer());
    expect(sha256(bytes)).toBe(sha256(csv));
    expect((await fetch(`${t.runtime.url}/open/datasets/${restricted.id}/download`, { redirect: 'manual' })).status).toBe(404);
    expect((await t.call('GET', `/open/datasets/${restricted.id}`)).status).toBe(404);
  });

  it('publishes a DCAT-AP catalogue with one dcat:Dataset per open dataset and its distributions', async () => {
    const jsonld = (await import('jsonld')).default;
    const res = await fetch(`${t.runtime.url}/open/catalog.jsonld`);
    expect(res.headers.get('content-type')).toContain('application/ld+json');
    const doc = (await res.json()) as Record<string, unknown>;
    const open = (await t.call('GET', '/open/datasets?limit=100')).body.items as { id: string }[];

    const offline = { documentLoader: () => Promise.reject(new Error('the context must be self-contained')) } as never;
    const flattened = (await jsonld.flatten(doc as never, null as never, offline)) as unknown as Record<string, unknown>[] | { '@graph': Record<string, unknown>[] };
    const nodes = Array.isArray(flattened) ? flattened : flattened['@graph'];
    const typed = (t: string) => nodes.filter((n) => (n['@type'] as string[] | undefined)?.includes(`http://www.w3.org/ns/dcat#${t}`));
    expect(typed('Dataset').map((n) => n['@id']).sort()).toEqual(open.map((d) => `${t.runtime.url}/datasets/${d.id}`).sort());
    expect(typed('Distribution').length).toBeGreaterThanOrEqual(open.length);
    expect(JSON.stringify(doc)).not.toContain('X-Amz-Signature');
    const { report, why } = await validateDcat(doc);
    expect(report.conforms, why.join('\n')).toBe(true);
  });

  it('finds datasets by accent-insensitive word prefixes and theme, paginated', async () => {
    await createDataset(t.keys.private.key, { title: 'Vélos en libre-service à Évry', theme: 'mobility', keywords: ['vélo'] });
    const byWord = await t.call('GET', `/v1/datasets?q=${encodeURIComponent('VELO evr')}`, { key: t.keys.public.key });
    expect(byWord.body.items.map((d: { title: string }) => d.title)).toEqual(['Vélos en libre-service à Évry']);
    const byTheme = await t.call('GET', '/v1/datasets?theme=mobility&limit=1', { key: t.keys.public.key });
    expect(byTheme.body.items).toHaveLength(1);
    expect(byTheme.body.cursor).toBeDefined();
    const next = await t.call('GET', `/v1/datasets?theme=mobility&limit=1&cursor=${byTheme.body.cursor}`, { key: t.keys.public.key });
    expect(next.body.items[0].id).not.toBe(byTheme.body.items[0].id);
    expect((await t.call('GET', '/v1/datasets?theme=space', { key: dsp })).status).toBe(400);
  });

  it('lets the owner edit metadata and no one else', async () => {
    const { id } = await createDataset(dsp);
    const edited = await t.call('PATCH', `/v1/datasets/${id}`, { key: dsp, body: { title: 'Index des compteurs', keywords: ['index'] } });
    expect(edited.body).toMatchObject({ title: 'Index des compteurs', keywords: ['index'] });
    expect((await t.call('PATCH', `/v1/datasets/${id}`, { key: t.keys.private.key, body: { title: 'Mine now' } })).status).toBe(403);
    expect((await t.call('PATCH', `/v1/datasets/${id}`, { key: dsp, body: {} })).status).toBe(400);
  });

  it('keeps version numbering intact when metadata edits race version creation', async () => {
    const { id } = await createDataset(dsp);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => [
        t.call('PATCH', `/v1/datasets/${id}`, { key: dsp, body: { title: `Titre ${i}` } }),
        t.call('POST', `/v1/datasets/${id}/versions`, { key: dsp, body: { bytes: 5 } }),
      ]).flat(),
    );
    expect(results.every((r) => [200, 201, 409].includes(r.status))).toBe(true);
    const next = await t.call('POST', `/v1/datasets/${id}/versions`, { key: dsp, body: { bytes: 5 } });
    expect(next.status, JSON.stringify(next.body)).toBe(201);
    const versions = (await t.call('GET', `/v1/datasets/${id}/versions?limit=100`, { key: dsp })).body.items.map((v: { version: number }) => v.version);
    expect(versions).toEqual(Array.from({ length: versions.length }, (_, i) => versions.length - i));
  });

  it('closes open versions when an open dataset is reclassified, and refuses open personal data', async () => {
    const { id } = await createDataset(t.keys.public.key, { classification: 'open' });
    await deliver(t.keys.public.key, id, Buffer.from('station,count,measuredOn\nNord,1,2026-01-01\n'));
    expect((await t.call('GET', `/open/datasets/${id}`)).status).toBe(200);

    expect((await t.call('PATCH', `/v1/datasets/${id}`, { key: t.keys.public.key, body: { classification: 'restricted' } })).status).toBe(200);
    expect((await t.call('GET', `/open/datasets/${id}`)).status).toBe(404);
    expect((await fetch(`${t.runtime.url}/open/datasets/${id}/download`, { redirect: 'manual' })).status).toBe(404);

    // Reopening lowers privacy: it waits for an officer, then opens the versions again.
    const reopening = await t.call('PATCH', `/v1/datasets/${id}`, { key: t.keys.public.key, body: { classification: 'open' } });
    expect(reopening.status).toBe(202);
    expect((await t.call('GET', `/open/datasets/${id}`)).status).toBe(404);
    expect((await t.call('POST', `/v1/dataset-changes/${reopening.body.id}/approve`, { key: officer, body: {} })).status).toBe(200);
    expect((await t.call('GET', `/open/datasets/${id}`)).body.versions).toHaveLength(1);

    const personal = { fields: [{ name: 'station', type: 'string', personal: true }] };
    expect((await t.call('POST', '/v1/datasets', { key: dsp, body: { title: 'Abonnés', description: 'x', theme: 'water', classification: 'open', format: 'csv', schema: personal } })).body.error.code).toBe('personal_data_not_open');
    expect((await t.call('PATCH', `/v1/datasets/${id}`, { key: t.keys.public.key, body: { schema: personal } })).body.error.code).toBe('personal_data_not_open');
  });

  it('answers 400, never 5xx, for forged cursors', async () => {
    const forged = Buffer.from(JSON.stringify({ pk: 'a', sk: 'b', gsi1pk: 'DATASETS', gsi1sk: 'c', x: 'y' })).toString('base64url');
    const empty = Buffer.from(JSON.stringify({ pk: '', sk: 'b', gsi1pk: 'DATASETS', gsi1sk: 'c' })).toString('base64url');
    for (const path of [`/v1/datasets?cursor=${forged}`, `/v1/datasets?cursor=${empty}`, `/open/datasets?cursor=${forged}`]) {
      expect((await t.call('GET', path, { key: dsp })).status, path).toBe(400);
    }
    expect((await t.call('GET', `/v1/audit/verify?cursor=${Buffer.from('{"seq":1.5,"hash":"x"}').toString('base64url')}`, { key: dsp })).status).toBe(400);
  });

  it('purges a version: bytes gone, hash and reason kept in the audit trail', async () => {
    const { id } = await createDataset(t.keys.public.key, { classification: 'open' });
    const csv = Buffer.from('station,count,measuredOn\nNord,1,2026-01-01\n');
    await deliver(t.keys.public.key, id, csv);

    const purged = await t.call('DELETE', `/v1/datasets/${id}/versions/1`, { key: officer, body: { reason: 'contains a personal phone number' } });
    await t.runtime.settle();

    expect(purged.body).toMatchObject({ status: 'purged', reason: 'contains a personal phone number', open: false });
    expect((await fetch(`${t.runtime.url}/open/datasets/${id}/download`, { redirect: 'manual' })).status).toBe(404);
    const audit = await t.call('GET', `/v1/audit?subject=${id}`, { key: officer });
    expect(audit.body.items.map((e: { body: { action: string } }) => e.body.action)).toContain('dataset.version.purged');
    const event = audit.body.items.find((e: { body: { action: string } }) => e.body.action === 'dataset.version.purged');
    expect(event.body.data).toMatchObject({ sha256: sha256(csv), reason: 'contains a personal phone number' });
  });
});
