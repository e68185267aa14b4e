import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ColumnarCopier } from '../../functions/domain/query/columnar.ts';
import { SizeRoutedEngine } from '../../functions/domain/query/engine-router.ts';
import { ColumnarCopyMissingError } from '../../functions/domain/query/errors.ts';
import { DUCKDB_DIALECT } from '../../functions/domain/query/sql.ts';
import type { ObjectStore, ObjectWriter } from '../../functions/ports/object-store.ts';
import type { ColumnSpec, QueryEngine, SqlDialect } from '../../functions/ports/query-engine.ts';

/** An engine that says who it is in every answer. */
function namedEngine(name: string, dialect: SqlDialect = DUCKDB_DIALECT): QueryEngine & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    dialectFor: async () => dialect,
    toParquet: async (_s, _f, _c, _sink, options) => (calls.push(`toParquet${options?.rowColumn ? ' with row column' : ''}`), { rows: 1 }),
    columns: async () => (calls.push('columns'), [{ name, type: 'string' }]),
    query: async () => (calls.push('query'), { columns: [name], rows: [] }),
    export: async () => void calls.push('export'),
  };
}

const MB = 1024 * 1024;

describe('queries routed by the size of the copy', () => {
  const setup = (sizes: Record<string, number>) => {
    const heads: string[] = [];
    const objects = { head: async (key: string) => (heads.push(key), sizes[key] === undefined ? undefined : { size: sizes[key]!, etag: 'e' }) };
    const local = namedEngine('local');
    const distributed = namedEngine('distributed', { ...DUCKDB_DIALECT, from: '"db"."t"' });
    return { heads, local, distributed, router: new SizeRoutedEngine({ local, distributed, objects, localMaxBytes: 2048 * MB }) };
  };

  it.each([
    ['small', 10 * MB, 'local'],
    ['exactly the limit', 2048 * MB, 'local'],
    ['one byte more', 2048 * MB + 1, 'distributed'],
  ])('a %s copy (%i bytes) is queried by the %s engine, in its dialect', async (_name, size, expected) => {
    // Arrange
    const { router } = setup({ k: size });
    // Act
    const columns = await router.columns({ key: 'k' });
    const dialect = await router.dialectFor({ key: 'k' });
    // Assert
    expect(columns[0]!.name).toBe(expected);
    expect(dialect.from).toBe(expected === 'local' ? 'read_parquet($1)' : '"db"."t"');
  });

  it('asks the size of an immutable copy once', async () => {
    // Arrange
    const { router, heads, distributed } = setup({ big: 5000 * MB });
    // Act
    await router.dialectFor({ key: 'big' });
    await router.columns({ key: 'big' });
    await router.query({ key: 'big' }, { sql: '', params: [] });
    // Assert
    expect(heads).toEqual(['big']);
    expect(distributed.calls).toEqual(['columns', 'query']);
  });

  it('says a missing copy is missing, not that it is small', async () => {
    const { router } = setup({});
    await expect(router.columns({ key: 'gone' })).rejects.toBeInstanceOf(ColumnarCopyMissingError);
  });

  it('always writes copies with the embedded engine, their row numbers in a column the distributed engine can read', async () => {
    // Arrange
    const { router, local, distributed } = setup({});
    // Act
    await router.toParquet(Readable.from([]), 'csv', [], async () => undefined);
    // Assert
    expect(local.calls).toEqual(['toParquet with row column']);
    expect(distributed.calls).toEqual([]);
  });
});

describe('each copy registered for the distributed engine', () => {
  it.each([
    ['csv', [{ name: 'a', type: 'string' }]],
    ['geojson', [{ name: 'a', type: 'string' }, { name: 'geometry', type: 'geopoint' }]],
  ] as const)('registers a %s copy with the columns its file describes, once written', async (format, described) => {
    // Arrange
    const events: string[] = [];
    const registered: { key: string; columns: readonly ColumnSpec[] }[] = [];
    const objects = { read: async () => ({ body: Readable.from(['x']) }) } as unknown as ObjectStore;
    const writer = { writeStream: async (key: string, body: Readable) => { for await (const _ of body); events.push(`wrote ${key}`); } } as unknown as ObjectWriter;
    const engine = { ...namedEngine('local'), toParquet: async (_s: Readable, _f: string, _c: readonly ColumnSpec[], sink: (b: Readable) => Promise<void>) => (await sink(Readable.from(['p'])), { rows: 3 }) } as QueryEngine;
    const registry = { register: async (key: string, columns: readonly ColumnSpec[]) => void (events.push(`registered ${key}`), registered.push({ key, columns })) };
    // Act
    const written = await new ColumnarCopier({ objects, writer, engine, registry }).copy('src', 'dst.parquet', format, [{ name: 'a', type: 'string' }]);
    // Assert
    expect(written).toEqual({ rows: 3 });
    expect(events).toEqual(['wrote dst.parquet', 'registered dst.parquet']);
    expect(registered[0]!.columns).toEqual(described);
  });
});
