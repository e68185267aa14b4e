import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DuckDbQueryEngine } from '../../functions/adapters/duckdb/duckdb-engine.ts';
import { createS3Client } from '../../functions/adapters/s3/client.ts';
import { S3ObjectStore } from '../../functions/adapters/s3/object-store.ts';
import { S3ObjectWriter } from '../../functions/adapters/s3/object-writer.ts';
import { ColumnarCopier } from '../../functions/domain/query/columnar.ts';
import { QueryLimitError } from '../../functions/domain/query/errors.ts';
import { parseQuery } from '../../functions/domain/query/grammar.ts';
import { compileExport, compilePage } from '../../functions/domain/query/sql.ts';
import { ndjsonToFeatureCollection } from '../../functions/domain/query/geojson-features.ts';

/** The DuckDB engine against the S3 emulator: typed copies of each format, limits, streamed exports. */
describe('DuckDB query engine', () => {
  const bucket = `query-${randomUUID().slice(0, 8)}`;
  const s3 = createS3Client({ endpoint: inject('s3Endpoint') });
  const objects = new S3ObjectStore(s3, bucket);
  const writer = new S3ObjectWriter(s3, bucket);
  const engine = (limits: Partial<{ memoryMb: number; timeoutMs: number }> = {}) =>
    new DuckDbQueryEngine(objects, { memoryMb: 256, threads: 1, timeoutMs: 30_000, workDir: mkdtempSync(join(tmpdir(), 'query-')), ...limits });
  const main = engine();
  const put = (key: string, text: string) => writer.write(key, Readable.from([Buffer.from(text)]), Buffer.byteLength(text));
  const copy = (e: DuckDbQueryEngine, ...args: Parameters<ColumnarCopier['copy']>) => new ColumnarCopier({ objects, writer, engine: e }).copy(...args);
  const rowsOf = async (e: DuckDbQueryEngine, key: string, params: Record<string, string> = {}) => {
    const spec = parseQuery(params, await e.columns({ key }));
    const rows = (await e.query({ key }, compilePage(key, spec, undefined, await e.dialectFor({ key })))).rows;
    return rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !k.startsWith('_comptoir_k'))));
  };

  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  afterAll(() => s3.destroy());

  it('types a JSON array and NDJSON from the Table Schema (geopoints in each form ingest accepts), and keeps personal flags in the metadata', async () => {
    // Arrange
    await put('a.json', JSON.stringify([{ n: 1, d: '2024-03-01', ok: 'oui', who: 'A', p: { lat: 45.1, lon: 5.7 } }, { n: '2', d: null, ok: false, who: 'B', p: [2.35, 48.85] }]));
    await put('a.ndjson', '{"n": 3, "d": "2024-03-02", "ok": true, "who": "C", "p": "1.5, 2.5"}\n');
    const fields = [{ name: 'n', type: 'integer' }, { name: 'd', type: 'date' }, { name: 'ok', type: 'boolean' }, { name: 'who', type: 'string', personal: true }, { name: 'p', type: 'geopoint' }] as const;
    // Act
    const [array, lines] = await Promise.all([copy(main, 'a.json', 'a.parquet', 'json', fields), copy(main, 'a.ndjson', 'b.parquet', 'json', fields)]);
    // Assert
    expect([array.rows, lines.rows]).toEqual([2, 1]);
    expect(await rowsOf(main, 'a.parquet')).toEqual([{ n: 1, d: '2024-03-01', ok: true, who: 'A', p: { lon: 5.7, lat: 45.1 } }, { n: 2, d: null, ok: false, who: 'B', p: { lon: 2.35, lat: 48.85 } }]);
    expect(await rowsOf(main, 'b.parquet')).toEqual([{ n: 3, d: '2024-03-02', ok: true, who: 'C', p: { lon: 1.5, lat: 2.5 } }]);
    expect(await main.columns({ key: 'a.parquet' })).toEqual([{ name: 'n', type: 'integer' }, { name: 'd', type: 'date' }, { name: 'ok', type: 'boolean' }, { name: 'who', type: 'string', personal: true }, { name: 'p', type: 'geopoint' }]);
  });

  it('types CSV cells as ingest reads them (spaces, decimal commas, oui/non, `lon, lat`), a cell it cannot read as NULL, a point missing a coordinate as no point, rows in file order', async () => {
    // Arrange
    const lines = ['n;x;ok;d;p', ' 7 ; 1,5 ; OUI ; 2024-03-01 ;" 5.7 , 45.1 "', '8;2.25;non;2024-03-02;"2.35,48.85"', 'huit;abc;peut-être;hier;"5.7"', ';;;;', '10;-0,5; 1 ;2024-03-04;"x, 45"'];
    await put('t.csv', `${lines.join('\n')}\n`);
    const fields = [{ name: 'n', type: 'integer' }, { name: 'x', type: 'number' }, { name: 'ok', type: 'boolean' }, { name: 'd', type: 'date' }, { name: 'p', type: 'geopoint' }] as const;
    // Act
    const { rows } = await copy(main, 't.csv', 't.parquet', 'csv', fields);
    // Assert
    expect(rows).toBe(5);
    expect(await rowsOf(main, 't.parquet')).toEqual([
      { n: 7, x: 1.5, ok: true, d: '2024-03-01', p: { lon: 5.7, lat: 45.1 } },
      { n: 8, x: 2.25, ok: false, d: '2024-03-02', p: { lon: 2.35, lat: 48.85 } },
      { n: null, x: null, ok: null, d: null, p: null },
      { n: null, x: null, ok: null, d: null, p: null },
      { n: 10, x: -0.5, ok: true, d: '2024-03-04', p: null },
    ]);
    expect((await rowsOf(main, 't.parquet', { order_by: '-n', select: 'n,d' }))).toEqual([{ n: 10, d: '2024-03-04' }, { n: 8, d: '2024-03-02' }, { n: 7, d: '2024-03-01' }, { n: null, d: null }, { n: null, d: null }]);
  });

  it('keeps the file\'s order over many rows cast in parallel, geopoints included', async () => {
    // Arrange: enough rows for DuckDB to split the work between threads, every point its own
    const rows = 600_000;
    const lon = (i: number) => -179 + i / 2000;
    const lat = (i: number) => -89 + i / 4000;
    await put('order.csv', ['id,p', ...Array.from({ length: rows }, (_, i) => `${i + 1},"${lon(i)}, ${lat(i)}"`), ''].join('\n'));
    const threaded = new DuckDbQueryEngine(objects, { memoryMb: 512, threads: 2, timeoutMs: 60_000, workDir: mkdtempSync(join(tmpdir(), 'query-')) });
    // Act
    await copy(threaded, 'order.csv', 'order.parquet', 'csv', [{ name: 'id', type: 'integer' }, { name: 'p', type: 'geopoint' }]);
    const columns = await threaded.columns({ key: 'order.parquet' });
    const parts: Buffer[] = [];
    await threaded.export({ key: 'order.parquet' }, compileExport(parseQuery({}, columns), columns, 'ndjson', await threaded.dialectFor({ key: 'order.parquet' })), 'ndjson', async (body) => {
      for await (const chunk of body) parts.push(Buffer.from(chunk as Buffer));
    });
    // Assert: every row where the file had it (the default order is the row number)
    const lines = Buffer.concat(parts).toString('utf8').trim().split('\n');
    expect(lines).toHaveLength(rows);
    const misplaced = lines.filter((line, i) => {
      const r = JSON.parse(line) as { id: number; p: { lon: number; lat: number } };
      return r.id !== i + 1 || Math.abs(r.p.lon - lon(i)) > 1e-9 || Math.abs(r.p.lat - lat(i)) > 1e-9;
    });
    expect(misplaced.slice(0, 3)).toEqual([]);
  }, 120_000);

  it('numbers the rows from the file, or in a column when another engine may read the copy: the same pages either way', async () => {
    // Arrange: rows whose order is only the file's
    await put('rows.csv', ['id,v', ...Array.from({ length: 23 }, (_, i) => `${(i * 7) % 23},same`), ''].join('\n'));
    const columns = [{ name: 'id', type: 'integer' }, { name: 'v', type: 'string' }] as const;
    const write = async (key: string, rowColumn: boolean) => main.toParquet((await objects.read('rows.csv')).body, 'csv', columns, (parquet) => writer.writeStream(key, parquet), { rowColumn });
    await Promise.all([write('file-rows.parquet', false), write('row-column.parquet', true)]);
    // Act: every page of 5, by a column that ties everywhere, so the row number decides
    const walk = async (key: string) => {
      const dialect = await main.dialectFor({ key });
      const spec = parseQuery({ order_by: 'v', limit: '5' }, await main.columns({ key }));
      const ids: unknown[] = [];
      let after: unknown[] | undefined;
      for (let page = 0; page < 10; page++) {
        const compiled = compilePage(key, spec, after, dialect);
        const { rows } = await main.query({ key }, compiled);
        ids.push(...rows.slice(0, 5).map((r) => r.id));
        if (rows.length <= 5) break;
        after = Array.from({ length: compiled.keyCount }, (_, i) => rows[4]![`_comptoir_k${i}`]);
      }
      return { row: dialect.row, ids };
    };
    // Assert
    const expected = Array.from({ length: 23 }, (_, i) => (i * 7) % 23);
    expect(await walk('file-rows.parquet')).toEqual({ row: 'file_row_number', ids: expected });
    expect(await walk('row-column.parquet')).toEqual({ row: '"_comptoir_row"', ids: expected });
  });

  it('evicts only the copies it fetched itself: another engine sharing its directory keeps its own', async () => {
    // Arrange: two engines (two local runtimes) on one directory, three copies
    const workDir = mkdtempSync(join(tmpdir(), 'query-'));
    const [a, b] = [0, 1].map(() => new DuckDbQueryEngine(objects, { memoryMb: 256, threads: 1, timeoutMs: 30_000, workDir }));
    for (const n of [1, 2, 3]) {
      await put(`e${n}.csv`, `n\n${n}\n`);
      await copy(main, `e${n}.csv`, `e${n}.parquet`, 'csv', [{ name: 'n', type: 'integer' }]);
    }
    // Act
    await rowsOf(b!, 'e3.parquet');
    await rowsOf(a!, 'e1.parquet');
    await rowsOf(a!, 'e2.parquet');
    // Assert: the first engine's older copy went, the other engine's stayed
    expect(readdirSync(join(workDir, 'cache'), { recursive: true }).filter((name) => String(name).endsWith('.parquet'))).toHaveLength(2);
    expect(await rowsOf(b!, 'e3.parquet')).toEqual([{ n: 3 }]);
    expect(await rowsOf(a!, 'e1.parquet')).toEqual([{ n: 1 }]);
  });

  it('sweeps what engines of ended processes left in its directories, and keeps what running ones hold', async () => {
    // Arrange: a directory of an ended process, one of this (running) process, a file of the layout before them
    const workDir = mkdtempSync(join(tmpdir(), 'query-'));
    const left = { ended: join(workDir, 'cache', '999999999-ended'), running: join(workDir, 'cache', `${process.pid}-running`), spill: join(workDir, 'spill', '999999999-ended') };
    for (const dir of Object.values(left)) mkdirSync(dir, { recursive: true });
    writeFileSync(join(left.ended, 'old.parquet'), 'x');
    writeFileSync(join(workDir, 'cache', 'flat.parquet'), 'x');
    await put('s1.csv', 'n\n1\n');
    await copy(main, 's1.csv', 's1.parquet', 'csv', [{ name: 'n', type: 'integer' }]);
    // Act
    const e = new DuckDbQueryEngine(objects, { memoryMb: 256, threads: 1, timeoutMs: 30_000, workDir });
    expect(await rowsOf(e, 's1.parquet')).toEqual([{ n: 1 }]);
    // Assert
    const cache = readdirSync(join(workDir, 'cache'));
    expect(cache).toContain(`${process.pid}-running`);
    expect(cache.filter((name) => name !== `${process.pid}-running`)).toEqual([expect.stringMatching(new RegExp(`^${process.pid}-`))]);
    expect(readdirSync(join(workDir, 'spill'))).toEqual([expect.stringMatching(new RegExp(`^${process.pid}-`))]);
  });

  it('copies a column named as the Parquet reader\'s own row number', async () => {
    await put('named.csv', 'file_row_number,n\n7,1\n3,2\n');
    await copy(main, 'named.csv', 'named.parquet', 'csv', [{ name: 'file_row_number', type: 'integer' }, { name: 'n', type: 'integer' }]);
    expect(await rowsOf(main, 'named.parquet')).toEqual([{ file_row_number: 7, n: 1 }, { file_row_number: 3, n: 2 }]);
  });

  it('turns GeoJSON points into a geometry column that bbox and near filter', async () => {
    const features = [[5.7, 45.1], [2.35, 48.85]].map(([lon, lat], i) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties: { name: `p${i}`, at: '2024-01-01T10:00:00+02:00' } }));
    await put('g.geojson', JSON.stringify({ type: 'FeatureCollection', features: [...features, { type: 'Feature', geometry: null, properties: null }] }));
    await copy(main, 'g.geojson', 'g.parquet', 'geojson', [{ name: 'name', type: 'string' }, { name: 'at', type: 'datetime' }]);
    expect(await rowsOf(main, 'g.parquet', { order_by: 'name' })).toEqual([
      { name: 'p0', at: '2024-01-01T08:00:00Z', geometry: { lon: 5.7, lat: 45.1 } },
      { name: 'p1', at: '2024-01-01T08:00:00Z', geometry: { lon: 2.35, lat: 48.85 } },
      { name: null, at: null, geometry: null },
    ]);
    expect((await rowsOf(main, 'g.parquet', { bbox: '5,45,6,46', select: 'name' })).map((r) => r.name)).toEqual(['p0']);
    expect((await rowsOf(main, 'g.parquet', { near: '2.35,48.86,2000', select: 'name' })).map((r) => r.name)).toEqual(['p1']);
  });

  it('exports datetimes in ISO 8601 UTC and geopoints as the records route answers them, as `lon, lat` in CSV, and as GeoJSON features', async () => {
    // Arrange: g.parquet from the test above (a geometry geopoint and a datetime)
    const columns = await main.columns({ key: 'g.parquet' });
    const spec = parseQuery({ order_by: 'name' }, columns);
    const read = async (format: 'csv' | 'ndjson', through?: (r: Readable) => Readable) => {
      const parts: Buffer[] = [];
      await main.export({ key: 'g.parquet' }, compileExport(spec, columns, format, await main.dialectFor({ key: 'g.parquet' })), format, async (body) => {
        for await (const chunk of through ? through(body) : body) parts.push(Buffer.from(chunk as Buffer));
      });
      return Buffer.concat(parts).toString('utf8');
    };

    // Act
    const [csv, ndjson, geojson] = await Promise.all([read('csv'), read('ndjson'), read('ndjson', (r) => r.pipe(ndjsonToFeatureCollection({ geopoint: 'geometry' })))]);

    // Assert
    expect(csv.trim().split('\n')).toEqual(['name,at,geometry', 'p0,2024-01-01T08:00:00Z,"5.7, 45.1"', 'p1,2024-01-01T08:00:00Z,"2.35, 48.85"', ',,']);
    expect(ndjson.trim().split('\n').map((l) => JSON.parse(l))).toEqual(await rowsOf(main, 'g.parquet', { order_by: 'name' }));
    expect(JSON.parse(geojson)).toEqual({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: { type: 'Point', coordinates: [5.7, 45.1] }, properties: { name: 'p0', at: '2024-01-01T08:00:00Z' } },
        { type: 'Feature', geometry: { type: 'Point', coordinates: [2.35, 48.85] }, properties: { name: 'p1', at: '2024-01-01T08:00:00Z' } },
        { type: 'Feature', geometry: null, properties: { name: null, at: null } },
      ],
    });
  });

  it('refuses a query beyond the memory limit with a 4xx error and keeps serving', async () => {
    // Arrange: 300,000 distinct strings grouped under a 16 MB budget
    const csv = ['k', ...Array.from({ length: 300_000 }, (_, i) => `key-${i}-${'x'.repeat(40)}`), ''].join('\n');
    await put('big.csv', csv);
    const small = engine({ memoryMb: 16 });
    await copy(main, 'big.csv', 'big.parquet', 'csv', [{ name: 'k', type: 'string' }]);
    const spec = parseQuery({ group_by: 'k', aggregate: 'count', order_by: '-count', limit: '1000' }, [{ name: 'k', type: 'string' }]);
    // Act / Assert
    await expect(small.query({ key: 'big.parquet' }, compilePage('big', spec, undefined, await small.dialectFor({ key: 'big.parquet' })))).rejects.toBeInstanceOf(QueryLimitError);
    expect(await rowsOf(small, 'a.parquet', { select: 'n' })).toHaveLength(2);
  });

  it('interrupts a query past the time limit', async () => {
    const slow = engine({ timeoutMs: 1 });
    // A cross join no caller can write, to hold the engine long past 1 ms.
    const query = { sql: 'SELECT count(*) FROM read_parquet($1) a, range(100000000) b WHERE a.k || b.range::VARCHAR = $2', params: ['never'] };
    await expect(slow.query({ key: 'big.parquet' }, query)).rejects.toBeInstanceOf(QueryLimitError);
  });

  it('streams an export of the whole answer in each format', async () => {
    const columns = [{ name: 'k', type: 'string' as const }];
    const spec = parseQuery({ select: 'k', k__contains: '-1' }, columns);
    const read = async (format: 'csv' | 'ndjson' | 'parquet') => {
      let bytes = Buffer.alloc(0);
      await main.export({ key: 'big.parquet' }, compileExport(spec, columns, format, await main.dialectFor({ key: 'big.parquet' })), format, async (body) => {
        const parts: Buffer[] = [];
        for await (const chunk of body) parts.push(chunk as Buffer);
        bytes = Buffer.concat(parts);
      });
      return bytes;
    };
    const expected = Array.from({ length: 300_000 }, (_, i) => i).filter((i) => `key-${i}-`.includes('-1')).length;
    const csv = (await read('csv')).toString().trim().split('\n');
    expect(csv[0]).toBe('k');
    expect(csv).toHaveLength(expected + 1);
    expect((await read('ndjson')).toString().trim().split('\n').map((l) => JSON.parse(l).k)).toEqual(csv.slice(1));
    expect((await read('parquet')).subarray(0, 4).toString()).toBe('PAR1');
  });
});
