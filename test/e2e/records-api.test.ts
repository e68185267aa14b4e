import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { createS3Client } from '../../functions/adapters/s3/client.ts';
import { publishedVersions } from '../../functions/adapters/dynamo/published-versions.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/** Records queries over HTTP: open data without a key, and under a licence the enforced copy only. */

const ROWS = 2500;
const CSV = [
  'id;station;agent;when;amount;ok;lat;lon',
  ...Array.from({ length: ROWS }, (_, i) => `${i + 1};S${i % 7};Agent ${i};2024-01-${String((i % 28) + 1).padStart(2, '0')};${i % 10 === 0 ? '' : (i * 1.5).toString().replace('.', ',')};${i % 2 ? 'oui' : 'non'};${(45 + (i % 50) / 1000).toFixed(3)};${(5.7 + (i % 50) / 1000).toFixed(3)}`),
  '',
].join('\n');
const SCHEMA = {
  fields: [
    { name: 'id', type: 'integer' },
    { name: 'station', type: 'string' },
    { name: 'agent', type: 'string', personal: true },
    { name: 'when', type: 'date' },
    { name: 'amount', type: 'number' },
    { name: 'ok', type: 'boolean' },
    { name: 'lat', type: 'number' },
    { name: 'lon', type: 'number' },
  ],
};

/** Open data carries no personal fields. */
const OPEN_SCHEMA = { fields: SCHEMA.fields.map(({ personal: _p, ...f }) => f) };

describe('records API', () => {
  let t: TestRuntime;
  const ids = { open: '', shared: '', licence: '', quota: '', exports: '' };

  const ok = <T extends { status: number; body: any }>(r: T, status = 200): T => {
    expect(r.status, JSON.stringify(r.body)).toBe(status);
    return r;
  };
  const publish = async (key: string, classification: 'open' | 'shared') => {
    const id = ok(await t.call('POST', '/v1/datasets', { key, body: { title: `Relevés ${classification}`, description: 'Index', theme: 'water', classification, format: 'csv', schema: classification === 'open' ? OPEN_SCHEMA : SCHEMA } }), 201).body.id as string;
    const started = ok(await t.call('POST', `/v1/datasets/${id}/versions`, { key, body: { bytes: Buffer.byteLength(CSV) } }), 201);
    await fetch(started.body.upload.url, { method: 'PUT', body: CSV });
    ok(await t.call('POST', `/v1/datasets/${id}/versions/1/complete`, { key, body: {} }), 202);
    return id;
  };
  const licence = async (datasetId: string, clauses: unknown[]) => {
    const { dsp, private: firm } = t.keys;
    const offerId = ok(await t.call('POST', '/v1/offers', { key: dsp.key, body: { datasetId, template: 'territorial-restricted', audience: ['private'], approval: 'auto', clauses } }), 201).body.id;
    const id = ok(await t.call('POST', '/v1/licences', { key: firm.key, body: { offerId, purpose: 'etude' } }), 201).body.id as string;
    ok(await t.call('POST', `/v1/licences/${id}/sign`, { key: firm.key }));
    return id;
  };

  beforeAll(async () => {
    t = await startTestRuntime();
    const [open, shared] = await Promise.all([publish(t.keys.dsp.key, 'open'), publish(t.keys.dsp.key, 'shared')]);
    ids.open = open;
    ids.shared = shared;
    await t.runtime.settle();
    [ids.licence, ids.quota, ids.exports] = await Promise.all([
      licence(shared, [{ kind: 'drop-fields', params: { fields: ['amount'] } }]),
      licence(shared, [{ kind: 'quota', params: { count: 2, per: 'P1D' } }]),
      licence(shared, [{ kind: 'drop-fields', params: { fields: ['amount'] } }, { kind: 'quota', params: { count: 3, per: 'P1D' } }]),
    ]);
  });
  afterAll(async () => {
    await t?.stop();
  });

  const open = (query: string) => t.call('GET', `/open/datasets/${ids.open}/records?${query}`);

  it('answers typed records of an open version without a key', async () => {
    // Act
    const r = ok(await open('limit=2&order_by=id'));
    // Assert
    expect(r.body.version).toBe(1);
    expect(r.body.fields.map((f: { name: string }) => f.name)).toEqual(SCHEMA.fields.map((f) => f.name));
    expect(r.body.records).toEqual([
      { id: 1, station: 'S0', agent: 'Agent 0', when: '2024-01-01', amount: null, ok: false, lat: 45, lon: 5.7 },
      { id: 2, station: 'S1', agent: 'Agent 1', when: '2024-01-02', amount: 1.5, ok: true, lat: 45.001, lon: 5.701 },
    ]);
    expect(typeof r.body.cursor).toBe('string');
  });

  it('filters with the grammar and binds every value', async () => {
    const r = ok(await open('station__exact=S3&amount__greater=100&when__less=2024-01-10&select=id,station&limit=1000&agent__contains=AGENT 1'));
    expect(r.body.records.length).toBeGreaterThan(0);
    // Quotes and wildcards are plain text in a bound value.
    expect(ok(await open("agent__contains=' OR 1=1 --%")).body.records).toEqual([]);
    for (const row of r.body.records) expect(Object.keys(row)).toEqual(['id', 'station']);
    const all = ok(await open('station__exact=S3&amount__greater=100&when__less=2024-01-10&select=id,station,amount,when&limit=1000')).body.records;
    for (const row of all) {
      expect(row.station).toBe('S3');
      expect(row.amount).toBeGreaterThan(100);
      expect(row.when < '2024-01-10').toBe(true);
    }
    expect(ok(await open('amount__isnull=true&limit=1000')).body.records).toHaveLength(ROWS / 10);
    expect(ok(await open('id__in=3,5,7&select=id&order_by=-id')).body.records).toEqual([{ id: 7 }, { id: 5 }, { id: 3 }]);
  });

  it('pages through the whole answer with the cursor, each row once', async () => {
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = ok(await open(`select=id&order_by=-station&limit=1000${cursor ? `&cursor=${cursor}` : ''}`));
      seen.push(...page.body.records.map((r: { id: number }) => r.id));
      cursor = page.body.cursor;
    } while (cursor);
    expect(seen).toHaveLength(ROWS);
    expect(new Set(seen).size).toBe(ROWS);
  });

  it('groups with aggregates and geographic filters', async () => {
    const grouped = ok(await open('group_by=station&aggregate=count,sum(amount),max(when)&order_by=-count&limit=3'));
    expect(grouped.body.fields.map((f: { name: string }) => f.name)).toEqual(['station', 'count', 'sum(amount)', 'max(when)']);
    expect(grouped.body.records[0]).toMatchObject({ station: 'S0', count: 358 });
    const inBox = ok(await open('bbox=5.7,45,5.7095,45.0095&select=id&limit=1000')).body.records.length;
    expect(inBox).toBe(ROWS / 5);
    const near = ok(await open('near=5.7,45,10&select=id&limit=1000')).body.records.length;
    expect(near).toBe(ROWS / 50);
  });

  it('answers 400 naming what is wrong, never a 5xx', async () => {
    for (const [query, says] of [
      ['nope__exact=1', 'unknown column "nope"'],
      ['id__exact=abc', 'is not a integer'],
      ['limit=1001', 'limit'],
      ['station__frobnicate=1', 'unknown parameter'],
      ['order_by=lat;DROP TABLE x', 'unknown column'],
      ['cursor=bm9wZQ', 'cursor'],
    ] as const) {
      const r = await open(query);
      expect(r.status, query).toBe(400);
      expect(r.body.error.message, query).toContain(says);
    }
    // A column named as the platform's own (row numbers, page keys) would be mistaken for them: refused at creation.
    const reserved = await t.call('POST', '/v1/datasets', { key: t.keys.dsp.key, body: { title: 'Réservé', description: 'x', theme: 'water', classification: 'open', format: 'csv', schema: { fields: [{ name: '_Comptoir_k0', type: 'string' }] } } });
    expect([reserved.status, reserved.body.error.message]).toEqual([400, expect.stringContaining('reserved for the platform')]);
    const otherQuery = ok(await open('limit=1&order_by=id')).body.cursor;
    expect((await open(`limit=1&order_by=station&cursor=${otherQuery}`)).status).toBe(400);
  });

  it('does not serve a dataset that is not open', async () => {
    expect((await t.call('GET', `/open/datasets/${ids.shared}/records`)).status).toBe(404);
    expect((await t.call('GET', `/open/datasets/${ids.shared}/records?version=1`)).status).toBe(404);
  });

  it('stops answering from the request after a dataset is no longer open, though the last ones read it', async () => {
    const { key } = t.keys.dsp;
    const id = await publish(key, 'open');
    await t.runtime.settle();
    for (const query of ['limit=1', 'limit=1&version=1']) ok(await t.call('GET', `/open/datasets/${id}/records?${query}`));
    ok(await t.call('PATCH', `/v1/datasets/${id}`, { key, body: { classification: 'restricted' } }));
    for (const query of ['limit=1', 'limit=1&version=1']) expect((await t.call('GET', `/open/datasets/${id}/records?${query}`)).status, query).toBe(404);
  });

  it('answers from the version the catalogue names at each request, right after answers from another', async () => {
    const { key } = t.keys.dsp;
    const id = await publish(key, 'open');
    await t.runtime.settle();
    const latest = () => t.call('GET', `/open/datasets/${id}/records?limit=2&order_by=id`);
    expect(ok(await latest()).body).toMatchObject({ version: 1, records: [{ id: 1 }, { id: 2 }] });
    const second = ['id;station;agent;when;amount;ok;lat;lon', '900;S9;Agent 900;2024-02-01;1;oui;45.1;5.7', ''].join('\n');
    const started = ok(await t.call('POST', `/v1/datasets/${id}/versions`, { key, body: { bytes: Buffer.byteLength(second) } }), 201);
    await fetch(started.body.upload.url, { method: 'PUT', body: second });
    ok(await t.call('POST', `/v1/datasets/${id}/versions/2/complete`, { key, body: {} }), 202);
    await t.runtime.settle();
    expect(ok(await latest()).body).toMatchObject({ version: 2, records: [{ id: 900 }] });
    ok(await t.call('DELETE', `/v1/datasets/${id}/versions/2?reason=${encodeURIComponent('published by mistake')}`, { key }));
    expect(ok(await latest()).body).toMatchObject({ version: 1, records: [{ id: 1 }, { id: 2 }] });
    ok(await t.call('DELETE', `/v1/datasets/${id}/versions/1?reason=${encodeURIComponent('withdrawn')}`, { key }));
    expect((await latest()).status).toBe(404);
    expect((await t.call('GET', `/open/datasets/${id}/records?version=1`)).status).toBe(404);
  });

  it('under a licence, reads the enforced copy: a dropped column is unknown, personal columns are pseudonymised', async () => {
    const key = t.keys.private.key;
    const first = await t.call('GET', `/v1/licences/${ids.licence}/records?limit=1`, { key });
    expect(first.status, JSON.stringify(first.body)).toBe(409);
    expect(first.body.error.code).toBe('variant_preparing');
    await t.runtime.settle();
    const page = ok(await t.call('GET', `/v1/licences/${ids.licence}/records?limit=2&order_by=id`, { key }));
    expect(page.body.fields.map((f: { name: string }) => f.name)).not.toContain('amount');
    expect(page.body.records[0].agent).not.toBe('Agent 0');
    const dropped = await t.call('GET', `/v1/licences/${ids.licence}/records?amount__greater=1`, { key });
    expect(dropped.status).toBe(400);
    expect(dropped.body.error.message).toContain('unknown column "amount"');
    // A pseudonym is not the value: filtering on the real name finds nothing.
    expect(ok(await t.call('GET', `/v1/licences/${ids.licence}/records?agent__exact=Agent 0`, { key })).body.records).toEqual([]);
  });

  it('tries a variant\'s queryable copy again when it fails once, and when it fails twice still serves downloads and says why queries cannot', async () => {
    // Arrange: the copies of enforced variants fail as often as `failures` says (a full disk, a timeout)
    const { columnarCopier } = await import('../../functions/wiring/query-engine.ts');
    const copy = columnarCopier.copy.bind(columnarCopier);
    let failures = 0;
    const spy = vi.spyOn(columnarCopier, 'copy').mockImplementation(async (source, ...rest) => {
      if (source.startsWith('derived/') && failures > 0) {
        failures -= 1;
        throw new Error('no space left on device');
      }
      return copy(source, ...rest);
    });
    const key = t.keys.private.key;
    const firstTry = async (clauses: unknown[], failing: number) => {
      const id = await licence(ids.shared, clauses);
      failures = failing;
      expect((await t.call('GET', `/v1/licences/${id}/records?limit=1`, { key })).body.error.code).toBe('variant_preparing');
      await t.runtime.settle();
      return id;
    };
    try {
      // Act
      const once = await firstTry([{ kind: 'drop-fields', params: { fields: ['ok'] } }], 1);
      const twice = await firstTry([{ kind: 'drop-fields', params: { fields: ['when'] } }], 2);
      // Assert: a passing fault is not seen by queries; a lasting one is said, and downloads are unaffected
      const page = ok(await t.call('GET', `/v1/licences/${once}/records?limit=1&order_by=id`, { key }));
      expect(page.body.records).toEqual([expect.objectContaining({ id: 1 })]);
      expect(page.body.fields.map((f: { name: string }) => f.name)).not.toContain('ok');
      const refused = await t.call('GET', `/v1/licences/${twice}/records?limit=1`, { key });
      expect(refused.status).toBe(409);
      expect(refused.body.error).toMatchObject({ code: 'not_queryable', message: expect.stringContaining('downloads still serve it') });
      const download = ok(await t.call('POST', `/v1/licences/${twice}/access`, { key, body: { purpose: 'etude' } }));
      expect(download.body).toMatchObject({ decision: 'permit', status: 'ready' });
      expect(await (await fetch(download.body.url)).text()).not.toContain('2024-01-01');
    } finally {
      spy.mockRestore();
    }
  });

  /** Follows an export's redirect and reads the file. */
  const exported = async (path: string, key?: string) => {
    const r = await fetch(t.runtime.url + path, { redirect: 'manual', headers: key ? { authorization: `Bearer ${key}` } : {} });
    expect(r.status, await r.clone().text()).toBe(302);
    const location = r.headers.get('location')!;
    const file = await fetch(location);
    expect(file.status).toBe(200);
    return { location, bytes: Buffer.from(await file.arrayBuffer()) };
  };
  const everyPage = async (query: string) => {
    const rows: Record<string, unknown>[] = [];
    let cursor: string | undefined;
    do {
      const page = ok(await open(`${query}&limit=1000${cursor ? `&cursor=${cursor}` : ''}`));
      rows.push(...page.body.records);
      cursor = page.body.cursor;
    } while (cursor);
    return rows;
  };

  it('exports the whole answer of a query in each format, each parsed back to the rows the records route pages through', async () => {
    // Arrange
    const query = 'station__exact=S3&select=id,station,when,amount,lat,lon&order_by=-id';
    const expected = await everyPage(query);
    const path = (format: string, q = query) => `/open/datasets/${ids.open}/exports/${format}?${q}`;

    // Act
    const [csv, ndjson, geojson, parquet] = await Promise.all(['csv', 'ndjson', 'geojson', 'parquet'].map((f) => exported(path(f))));

    // Assert
    expect(expected.length).toBeGreaterThan(300);
    const lines = csv!.bytes.toString('utf8').trim().split('\n');
    expect(lines[0]).toBe('id,station,when,amount,lat,lon');
    expect(lines.slice(1).map((l) => Number(l.split(',')[0]))).toEqual(expected.map((r) => r.id));
    expect(ndjson!.bytes.toString('utf8').trim().split('\n').map((l) => JSON.parse(l))).toEqual(expected);
    const collection = JSON.parse(geojson!.bytes.toString('utf8'));
    expect(collection.type).toBe('FeatureCollection');
    expect(collection.features).toHaveLength(expected.length);
    expect(collection.features[0]).toEqual({ type: 'Feature', geometry: { type: 'Point', coordinates: [expected[0]!.lon, expected[0]!.lat] }, properties: expected[0] });
    expect(parquet!.bytes.subarray(0, 4).toString()).toBe('PAR1');
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const file = join(await mkdtemp(join(tmpdir(), 'comptoir-export-')), 'x.parquet');
    await writeFile(file, parquet!.bytes);
    const read = await (await (await DuckDBInstance.create(':memory:')).connect()).runAndReadAll(`SELECT id FROM read_parquet('${file}')`);
    expect(read.getRowObjectsJson().map((r) => Number(r.id))).toEqual(expected.map((r) => r.id));
    // A grouped answer exports too, and the same export is made once and handed out again.
    const grouped = (await exported(path('csv', 'group_by=station&aggregate=count&order_by=station'))).bytes.toString('utf8').trim().split('\n');
    expect(grouped).toEqual(['station,count', ...Array.from({ length: 7 }, (_, i) => `S${i},${i < ROWS % 7 ? Math.ceil(ROWS / 7) : Math.floor(ROWS / 7)}`)]);
    const key = decodeURIComponent(new URL(csv!.location).pathname).split('/').slice(2).join('/');
    const s3 = createS3Client({ endpoint: inject('s3Endpoint') });
    await s3.send(new PutObjectCommand({ Bucket: process.env.BUCKET_NAME!, Key: key, Body: 'made once' }));
    s3.destroy();
    const again = await exported(path('csv'));
    expect([new URL(again.location).pathname, again.bytes.toString()]).toEqual([new URL(csv!.location).pathname, 'made once']);
  });

  it('refuses an export it cannot make, with a 400 that says why', async () => {
    for (const [format, query, says] of [
      ['csv', 'limit=10', 'an export is the whole answer'],
      ['csv', 'cursor=abc', 'an export is the whole answer'],
      ['geojson', 'group_by=station', 'a grouped answer has no points'],
      ['geojson', 'select=id,station', 'geojson needs point data'],
      ['csv', 'nope__exact=1', 'unknown column "nope"'],
    ] as const) {
      const r = await t.call('GET', `/open/datasets/${ids.open}/exports/${format}?${query}`);
      expect(r.status, `${format}?${query}`).toBe(400);
      expect(r.body.error.message, query).toContain(says);
    }
    expect((await t.call('GET', `/open/datasets/${ids.open}/exports/xlsx`)).status).toBe(400);
    expect((await t.call('GET', `/open/datasets/${ids.shared}/exports/csv`)).status).toBe(404);
  });

  it('exports under a licence from the enforced copy only, one access each, until the quota refuses', async () => {
    // Arrange: the enforced copy prepared by a first call (counted)
    const key = t.keys.private.key;
    expect((await t.call('GET', `/v1/licences/${ids.exports}/exports/csv`, { key })).status).toBe(409);
    await t.runtime.settle();

    // Act
    const csv = (await exported(`/v1/licences/${ids.exports}/exports/csv?order_by=id`, key)).bytes.toString('utf8').trim().split('\n');
    const bad = await t.call('GET', `/v1/licences/${ids.exports}/exports/csv?limit=2`, { key });
    const ndjson = await exported(`/v1/licences/${ids.exports}/exports/ndjson?select=id,agent&id__exact=1`, key);
    const refused = await t.call('GET', `/v1/licences/${ids.exports}/exports/csv`, { key });

    // Assert
    expect(csv[0]).toBe('id,station,agent,when,ok,lat,lon');
    expect(csv).toHaveLength(ROWS + 1);
    expect(csv[1]).not.toContain('Agent 0');
    expect(bad.status).toBe(400);
    expect(JSON.parse(ndjson.bytes.toString('utf8'))).toEqual({ id: 1, agent: expect.not.stringContaining('Agent') });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('quota');
    expect((await t.call('GET', `/v1/licences/${ids.exports}/exports/csv`, { key: t.keys.dsp.key })).status).toBe(403);
  });

  it('counts each query as one access: the quota refuses the next, and a revoked licence is refused', async () => {
    const key = t.keys.private.key;
    // The personal column makes every licence enforced: the first call prepares the copy.
    const calls = [];
    for (let i = 0; i < 3; i++) {
      calls.push(await t.call('GET', `/v1/licences/${ids.quota}/records?limit=1`, { key }));
      await t.runtime.settle();
    }
    expect(calls.map((c) => c.status)).toEqual([409, 200, 403]);
    expect(calls[2]!.body.error.message).toContain('quota');
    ok(await t.call('POST', `/v1/licences/${ids.licence}/revoke`, { key: t.keys.dsp.key, body: { reason: 'fin' } }));
    const revoked = await t.call('GET', `/v1/licences/${ids.licence}/records?limit=1`, { key });
    expect(revoked.status).toBe(403);
    expect(revoked.body.error.message).toContain('revoked');
  });

  it('backfills the copy of a version published without one, once, and queries it again', async () => {
    // Arrange: the open version's copy removed, as for a version published before copies existed
    const [{ publishedCopies }, { documentClient, tableName }] = await Promise.all([import('../../functions/wiring/query-engine.ts'), import('../../functions/wiring/table.ts')]);
    const version = ok(await t.call('GET', `/v1/datasets/${ids.open}/versions/1`, { key: t.keys.dsp.key })).body;
    const s3 = createS3Client({ endpoint: inject('s3Endpoint') });
    const record = await (await import('../../functions/wiring/catalogue-store.ts')).catalogueStore.getVersion(ids.open, 1);
    await s3.send(new DeleteObjectCommand({ Bucket: process.env.BUCKET_NAME!, Key: `${record!.objectKey!}.parquet` }));
    s3.destroy();
    expect(version.status).toBe('published');
    expect((await open('limit=1')).status).toBe(409);

    // Act
    const lines: string[] = [];
    const first = await publishedCopies.backfill(publishedVersions(documentClient, tableName), (l) => lines.push(l));
    const second = await publishedCopies.backfill(publishedVersions(documentClient, tableName));

    // Assert: only the missing copy written, the others left as they were
    expect(first).toMatchObject({ copied: 1, failed: 0 });
    expect(first.present).toBeGreaterThanOrEqual(1);
    expect(lines).toEqual([`${ids.open} v1: ${ROWS} rows`]);
    expect(second).toMatchObject({ copied: 0, failed: 0, present: first.present + 1 });
    expect(ok(await open('limit=1&order_by=id')).body.records).toEqual([expect.objectContaining({ id: 1 })]);
  });
});
