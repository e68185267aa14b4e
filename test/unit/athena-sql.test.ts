import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { athenaDialect, athenaTableOf, glueTypeOf, positional } from '../../functions/adapters/athena/athena-sql.ts';
import { athenaValue } from '../../functions/adapters/athena/athena-values.ts';
import { parseQuery } from '../../functions/domain/query/grammar.ts';
import { compileExport, compilePage } from '../../functions/domain/query/sql.ts';
import type { ColumnSpec } from '../../functions/ports/query-engine.ts';

const COLUMNS: ColumnSpec[] = [
  { name: 'id', type: 'integer' },
  { name: 'Nom', type: 'string' },
  { name: 'when', type: 'date' },
  { name: 'at', type: 'datetime' },
  { name: 'amount', type: 'number' },
  { name: 'ok', type: 'boolean' },
  { name: 'pos', type: 'geopoint' },
  { name: 'prix $2', type: 'number' },
];
const KEY = 'versions/dst_1/3/data.csv.parquet';
const dialect = athenaDialect('comptoir_dev', KEY);
/** A page compiled for Athena, then placed as Athena receives it. */
const athena = (params: Record<string, string>, after?: unknown[]) => {
  const compiled = compilePage(KEY, parseQuery(params, COLUMNS), after, dialect);
  return { ...compiled, ...positional(compiled.sql, compiled.params) };
};

describe('records queries compiled for Athena', () => {
  it('reads the catalogue table of the copy, named from its key, never a local file', () => {
    // Act
    const { sql } = athena({});
    // Assert
    expect(athenaTableOf(KEY)).toMatch(/^copy_[0-9a-f]{40}$/);
    expect(sql).toContain(`FROM "comptoir_dev"."${athenaTableOf(KEY)}"`);
    // Outside quoted names (one column is named `prix $2`), no DuckDB placeholder or file is left.
    expect(sql.replaceAll(/"(?:[^"]|"")*"/g, '""')).not.toMatch(/read_parquet|\$\d/);
    expect(athenaTableOf('derived/lic_1/3.parquet')).not.toBe(athenaTableOf(KEY));
  });

  it.each([
    ['id__exact', '42', `"id" = CAST(? AS BIGINT)`, ["'42'"]],
    ['Nom__contains', "O'Brien%", `strpos(lower("Nom"), lower(CAST(? AS VARCHAR))) > 0`, ["'O''Brien%'"]],
    ['amount__less', '2,5', `"amount" < CAST(? AS DOUBLE)`, ["'2.5'"]],
    ['when__greater', '2024-02-29', `"when" > CAST(? AS DATE)`, ["'2024-02-29'"]],
    ['at__greater', '2024-01-01T10:00:00+02:00', `"at" > from_iso8601_timestamp(?)`, ["'2024-01-01T08:00:00.000Z'"]],
    ['ok__exact', 'oui', `"ok" = CAST(? AS BOOLEAN)`, ["'true'"]],
    ['prix $2__greater', '3', `"prix $2" > CAST(? AS DOUBLE)`, ["'3'"]],
  ])('binds %s=%s as an execution parameter', (key, value, sql, parameters) => {
    // Act
    const compiled = athena({ [key]: value });
    // Assert
    expect(compiled.sql).toContain(` WHERE ${sql}`);
    expect(compiled.parameters).toEqual(parameters);
  });

  it('gives each occurrence of a value its own parameter, in text order (a cursor repeats its keys; near repeats its centre)', () => {
    // Act
    const page = athena({ order_by: '-amount', near: '2.35,48.85,500', pos__isnull: 'false' }, [12.5, 7]);
    // Assert
    expect(page.parameters).toHaveLength(page.sql.split('?').length - 1);
    expect([...page.parameters.slice(0, 4)].sort()).toEqual(["'2.35'", "'48.85'", "'48.85'", "'500'"]);
    expect(page.parameters.filter((p) => p === "'12.5'")).toHaveLength(2);
    expect(page.parameters.filter((p) => p === "'7'")).toHaveLength(2);
    expect(page.parameters.indexOf("'12.5'")).toBeLessThan(page.parameters.indexOf("'7'"));
  });

  it('never puts a caller value into the statement text, whatever it contains', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim().length > 0 && !/[",]/.test(s)), (value) => {
        // Act
        const page = athena({ Nom__exact: value, Nom__in: `${value},x` });
        // Assert: the text is the same for any value; every value is one literal with its quotes doubled
        expect(page.sql).toBe(athena({ Nom__exact: 'a', Nom__in: 'a,x' }).sql);
        expect(page.parameters[0]).toBe(`'${value.replaceAll("'", "''")}'`);
      }),
    );
  });

  it('names the answer columns in the schema’s case, since Athena lower-cases them', () => {
    // Act
    const plain = athena({ select: 'Nom,amount' });
    const grouped = athena({ group_by: 'Nom', aggregate: 'count,sum(amount)' });
    // Assert
    expect(plain.outputs).toEqual(['Nom', 'amount', '_comptoir_k0']);
    expect(grouped.outputs).toEqual(['Nom', 'count', 'sum(amount)', '_comptoir_k0']);
  });

  it('writes datetimes of an export as ISO 8601 UTC with Athena’s own functions', () => {
    // Act
    const compiled = compileExport(parseQuery({ select: 'at' }, COLUMNS), COLUMNS, 'csv', dialect);
    // Assert
    expect(compiled.sql).toContain(`to_iso8601(with_timezone(e."at", 'UTC')) AS "at"`);
    expect(compiled.sql).not.toContain('regexp_replace');
  });

  it('names the columns of an export in the schema’s case, for the header Athena lower-cases', () => {
    // Act
    const plain = compileExport(parseQuery({ select: 'Nom,prix $2' }, COLUMNS), COLUMNS, 'csv', dialect);
    const grouped = compileExport(parseQuery({ group_by: 'Nom', aggregate: 'count,avg(amount)' }, COLUMNS), COLUMNS, 'csv', dialect);
    // Assert
    expect(plain.outputs).toEqual(['Nom', 'prix $2']);
    expect(grouped.outputs).toEqual(['Nom', 'count', 'avg(amount)']);
  });
});

describe('placeholders rewritten for Athena', () => {
  it.each([
    ['a quoted name holding a placeholder stays a name', `SELECT "x$2" FROM t WHERE a = $2`, ['v'], `SELECT "x$2" FROM t WHERE a = ?`, ["'v'"]],
    ['a doubled quote inside a name', `SELECT "a""$2" WHERE b = $3`, ['v', 'w'], `SELECT "a""$2" WHERE b = ?`, ["'w'"]],
    ['a string literal is skipped', `SELECT ', $2' || $2`, ['v'], `SELECT ', $2' || ?`, ["'v'"]],
    ['a repeated placeholder is sent twice', `$3 > $2 OR $3 = $2`, ['a', 'b'], `? > ? OR ? = ?`, ["'b'", "'a'", "'b'", "'a'"]],
  ])('%s', (_name, sql, params, expected, parameters) => {
    // Act
    const out = positional(sql, params);
    // Assert
    expect(out).toEqual({ sql: expected, parameters });
  });

  it('refuses a placeholder without a value', () => {
    expect(() => positional('a = $4', ['x'])).toThrow(/\$4 has no value/);
  });
});

describe('Athena answers read back as the records route answers', () => {
  it.each([
    ['bigint', '42', 42],
    ['bigint', '9007199254740993', '9007199254740993'],
    ['double', '2.5', 2.5],
    ['boolean', 'true', true],
    ['boolean', 'false', false],
    ['date', '2024-02-29', '2024-02-29'],
    ['timestamp', '2024-03-01 10:15:00.000', '2024-03-01T10:15:00.000Z'],
    ['timestamp(3) with time zone', '2024-03-01 10:15:00.123 UTC', '2024-03-01T10:15:00.123Z'],
    ['row(lon double, lat double)', '{lon=2.35, lat=48.85}', { lon: 2.35, lat: 48.85 }],
    ['varchar', 'texte', 'texte'],
    ['varchar', undefined, null],
  ])('%s %s', (type, text, value) => {
    expect(athenaValue(type, text)).toEqual(value);
  });

  it.each([
    ['string', 'string'], ['integer', 'bigint'], ['number', 'double'], ['boolean', 'boolean'], ['date', 'date'], ['datetime', 'timestamp'], ['geopoint', 'struct<lon:double,lat:double>'],
  ] as const)('declares a %s column as %s in the catalogue', (type, glue) => {
    expect(glueTypeOf({ name: 'c', type })).toBe(glue);
  });
});
