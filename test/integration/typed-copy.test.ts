import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parquetCopySql, type CopyReading } from '../../functions/adapters/duckdb/typed-columns.ts';
import type { ColumnSpec } from '../../functions/ports/query-engine.ts';

/** The columnar copy's two readings of a CSV (typed by DuckDB's reader, or cast from text) agree on every value ingest accepts. */
describe('typed reading of a CSV copy', () => {
  const dir = mkdtempSync(join(tmpdir(), 'typed-copy-'));
  const columns: ColumnSpec[] = [{ name: 'n', type: 'integer' }, { name: 'x', type: 'number' }, { name: 'd', type: 'date' }, { name: 's', type: 'string' }, { name: 'p', type: 'geopoint' }, { name: 'b', type: 'boolean' }];
  let db: DuckDBInstance;
  let files = 0;

  beforeAll(async () => {
    db = await DuckDBInstance.create(':memory:', { threads: '1' });
  });
  afterAll(() => db.closeSync());

  /** The typed rows one reading writes, or the error that sends the copy to the other reading. */
  const typedRows = async (csv: string, reading: CopyReading): Promise<unknown[][]> => {
    const n = files++;
    const source = join(dir, `${n}.csv`);
    writeFileSync(source, csv);
    const [typed] = parquetCopySql('csv', { source, intermediate: join(dir, `${n}-typed.parquet`), target: join(dir, `${n}-${reading}.parquet`) }, columns, { reading, rowColumn: false });
    const c = await db.connect();
    try {
      await c.run(typed!);
      return (await c.runAndReadAll(`SELECT * FROM read_parquet('${join(dir, `${n}-${reading}.parquet`)}')`)).getRowsJson();
    } finally {
      c.closeSync();
    }
  };

  // Values as ingest's validators accept them (values.ts), surrounding spaces included: ingest trims cells.
  const spaced = (value: fc.Arbitrary<string>) => fc.tuple(fc.constantFrom('', ' '), value, fc.constantFrom('', ' ')).map(([a, v, b]) => `${a}${v}${b}`);
  const digits = fc.stringMatching(/^[0-9]{1,19}$/);
  const integer = spaced(fc.tuple(fc.constantFrom('', '+', '-'), digits).map(([sign, d]) => sign + d));
  const number = spaced(fc.tuple(fc.constantFrom('', '-'), fc.stringMatching(/^[0-9]{1,12}$/), fc.option(fc.stringMatching(/^[0-9]{1,8}$/)), fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.stringMatching(/^[0-9]{1,2}$/))))
    .map(([sign, int, frac, exp]) => `${sign}${int}${frac === null ? '' : `.${frac}`}${exp === null ? '' : exp.join('')}`));
  const date = spaced(fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)));
  const point = fc.tuple(fc.double({ min: -180, max: 180, noNaN: true }), fc.double({ min: -90, max: 90, noNaN: true }), fc.constantFrom(',', ', ')).map(([lon, lat, sep]) => `"${lon}${sep}${lat}"`);
  // Any casing of ingest's words: the usual spellings compare as they are, the others are folded.
  const WORDS: Record<string, boolean> = { true: true, '1': true, yes: true, oui: true, false: false, '0': false, no: false, non: false };
  const cased = fc.constantFrom(...Object.keys(WORDS)).chain((w) => fc.array(fc.boolean(), { minLength: w.length, maxLength: w.length }).map((upper) => [...w].map((ch, i) => (upper[i] ? ch.toUpperCase() : ch)).join('')));
  const boolean = spaced(cased);
  const row = fc.tuple(fc.option(integer, { nil: '' }), fc.option(number, { nil: '' }), fc.option(date, { nil: '' }), fc.stringMatching(/^[a-z]{0,6}$/), fc.option(point, { nil: '' }), fc.option(boolean, { nil: '' })).map((cells) => cells.join(','));

  it('gives the values the casts give, whenever the reader types the file', async () => {
    let typedByReader = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 20 }), async (rows) => {
        const csv = `n,x,d,s,p,b\n${rows.join('\n')}\n`;
        const cast = await typedRows(csv, 'text');
        const read = await typedRows(csv, 'reader').catch(() => undefined);
        if (read === undefined) return;
        typedByReader++;
        expect(read).toEqual(cast);
      }),
      { numRuns: 60 },
    );
    // Most files are read by the reader itself: the property is not passed by refusals alone.
    expect(typedByReader).toBeGreaterThan(30);
  });

  it('reads every casing of the boolean words ingest accepts, spaces around them or not', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(boolean, { minLength: 1, maxLength: 20 }), async (words) => {
        const rows = await typedRows(`n,x,d,s,p,b\n${words.map((w) => `,,,,,${w}`).join('\n')}\n`, 'text');
        expect(rows.map((r) => r[5])).toEqual(words.map((w) => WORDS[w.trim().toLowerCase()]));
      }),
      { numRuns: 30 },
    );
  });

  it('refuses, rather than misreads, a decimal comma and an impossible date, so the casts read them', async () => {
    const csv = 'n;x;d;s;p;b\n1;1,5;2024-03-01;a;"5.7, 45.1";oui\n';
    await expect(typedRows(csv, 'reader')).rejects.toThrow(/Conversion Error/);
    expect(await typedRows(csv, 'text')).toEqual([['1', 1.5, '2024-03-01', 'a', { lon: 5.7, lat: 45.1 }, true]]);
    await expect(typedRows('n,x,d,s,p,b\n1,2,2024-02-30,a,,\n', 'reader')).rejects.toThrow(/Conversion Error/);
  });
});
