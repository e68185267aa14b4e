import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../../functions/domain/errors.ts';
import { MAX_LIMIT, parseQuery } from '../../functions/domain/query/grammar.ts';
import { compilePage } from '../../functions/domain/query/sql.ts';
import type { ColumnSpec } from '../../functions/ports/query-engine.ts';

const COLUMNS: ColumnSpec[] = [
  { name: 'id', type: 'integer' },
  { name: 'name', type: 'string' },
  { name: 'when', type: 'date' },
  { name: 'at', type: 'datetime' },
  { name: 'amount', type: 'number' },
  { name: 'ok', type: 'boolean' },
  { name: 'pos', type: 'geopoint' },
];
const compile = (params: Record<string, string>, after?: unknown[]) => compilePage('t', parseQuery(params, COLUMNS), after);

describe('filter grammar to SQL', () => {
  it.each([
    ['id__exact', '42', `"id" = CAST($2 AS BIGINT)`, ['42']],
    ['name__differs', 'x', `"name" IS DISTINCT FROM CAST($2 AS VARCHAR)`, ['x']],
    ['id__in', '1,2,3', `"id" IN (CAST($2 AS BIGINT), CAST($3 AS BIGINT), CAST($4 AS BIGINT))`, ['1', '2', '3']],
    ['name__contains', "O'Brien%", `strpos(lower("name"), lower(CAST($2 AS VARCHAR))) > 0`, ["O'Brien%"]],
    ['amount__less', '2,5', `"amount" < CAST($2 AS DOUBLE)`, [2.5]],
    ['when__greater', '2024-02-29', `"when" > CAST($2 AS DATE)`, ['2024-02-29']],
    ['at__greater', '2024-01-01T10:00:00+02:00', `"at" > CAST($2 AS TIMESTAMPTZ)`, ['2024-01-01T08:00:00.000Z']],
    ['ok__exact', 'oui', `"ok" = CAST($2 AS BOOLEAN)`, [true]],
    ['pos__isnull', 'true', `"pos" IS NULL`, []],
    ['amount__isnull', 'false', `"amount" IS NOT NULL`, []],
  ])('%s=%s', (key, value, sql, params) => {
    // Act
    const compiled = compile({ [key]: value });
    // Assert
    expect(compiled.sql).toContain(` WHERE ${sql}`);
    expect(compiled.params).toEqual(params);
  });

  it.each([
    ['nope__exact', '1', 'unknown column "nope"'],
    ['id__exact', '1.5', 'not a integer'],
    ['when__exact', '2024-02-30', 'not a date'],
    ['at__exact', '2024-01-01', 'not a datetime'],
    ['ok__less', 'true', '__less does not apply to boolean'],
    ['amount__contains', '1', '__contains does not apply to number'],
    ['pos__exact', '1,2', '__exact does not apply to geopoint'],
    ['id__isnull', 'maybe', 'expected true or false'],
    ['id__between', '1', 'unknown parameter'],
    ['limit', String(MAX_LIMIT + 1), 'limit'],
    ['limit', '0', 'limit'],
    ['order_by', 'pos', 'geopoint columns cannot be ordered'],
    ['select', 'id,"x"', 'unknown column'],
    ['bbox', '1,2,3', 'bbox'],
    ['near', '5,45,-1', 'near'],
    ['aggregate', 'sum(name)', 'sum needs a number column'],
    ['id__in', Array.from({ length: 101 }, (_, i) => i).join(','), 'at most 100 values'],
  ])('shouldRefuse_when %s=%s', (key, value, message) => {
    expect(() => compile({ [key]: value })).toThrow(InvalidRequestError);
    expect(() => compile({ [key]: value })).toThrow(message);
  });

  it('shouldRefuse_when more than 50 filters', () => {
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`${i % 2 ? 'a' : 'b'}${i}__exact`, 'x']));
    const columns = Object.keys(many).map((k) => ({ name: k.replace('__exact', ''), type: 'string' as const }));
    expect(() => parseQuery(many, columns)).toThrow('at most 50 filters');
    expect(() => parseQuery(Object.fromEntries(Object.entries(many).slice(1)), columns)).not.toThrow();
  });

  it('orders by the keys then the row number, NULLs last, and fetches one row more than the page', () => {
    const compiled = compile({ order_by: '-amount,name', limit: '10' });
    expect(compiled.sql).toContain('ORDER BY q."amount" DESC NULLS LAST, q."name" ASC NULLS LAST, q."_comptoir_row" ASC NULLS LAST LIMIT 11');
    expect(compiled.keyCount).toBe(3);
  });

  it('continues strictly after the cursor row, with the key values bound', () => {
    const compiled = compile({ order_by: '-amount' }, [null, 7]);
    expect(compiled.sql).toContain(' WHERE (q."amount" IS NULL AND (q."_comptoir_row" > CAST($2 AS BIGINT) OR q."_comptoir_row" IS NULL OR (q."_comptoir_row" = CAST($2 AS BIGINT) AND false)))');
    expect(compiled.params).toEqual([7]);
    expect(() => compile({ order_by: '-amount' }, [1])).toThrow('cursor');
    expect(() => compile({ order_by: '-amount' }, [{ a: 1 }, 2])).toThrow('cursor');
  });

  it('groups with aggregates and pages by the group columns', () => {
    const compiled = compile({ group_by: 'name', aggregate: 'count,avg(amount),max(when)', order_by: '-count' });
    expect(compiled.sql).toContain('SELECT "name", count(*) AS "count", CAST(avg("amount") AS DOUBLE) AS "avg(amount)", max("when") AS "max(when)" FROM read_parquet($1) GROUP BY "name"');
    expect(compiled.sql).toContain('ORDER BY q."count" DESC NULLS LAST, q."name" ASC NULLS LAST');
  });

  it('filters by bounding box and distance on the geopoint', () => {
    const compiled = compile({ bbox: '5,45,6,46', near: '5.5,45.5,1000' });
    expect(compiled.sql).toContain('"pos".lon BETWEEN CAST($2 AS DOUBLE) AND CAST($3 AS DOUBLE) AND "pos".lat BETWEEN CAST($4 AS DOUBLE) AND CAST($5 AS DOUBLE)');
    expect(compiled.params).toEqual([5, 6, 45, 46, 5.5, 45.5, 1000]);
  });

  it('quotes schema names as one identifier', () => {
    const compiled = compilePage('t', parseQuery({ 'a"b__exact': 'x' }, [{ name: 'a"b', type: 'string' }]));
    expect(compiled.sql).toContain('"a""b" = CAST($2 AS VARCHAR)');
  });
});

describe('no caller text reaches the SQL', () => {
  const ops = ['exact', 'differs', 'in', 'contains', 'less', 'greater'] as const;
  // Marked values: a marker the SQL we write never contains, so finding it means the value leaked.
  const marked = fc.string({ minLength: 0, maxLength: 40 }).map((s) => `zq${s}`);

  it('never puts a filter value, cursor value or unknown name in the SQL text', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...COLUMNS.map((c) => c.name)), fc.constantFrom(...ops), marked), { maxLength: 6 }),
        fc.option(marked),
        fc.option(marked),
        (filters, unknownKey, cursorValue) => {
          const params: Record<string, string> = {};
          for (const [c, op, v] of filters) params[`${c}__${op}`] = v;
          if (unknownKey) params[unknownKey] = 'x';
          let compiled;
          try {
            compiled = compile(params, cursorValue ? [cursorValue] : undefined);
          } catch (error) {
            // Refusals are 400s, never anything else.
            expect(error).toBeInstanceOf(InvalidRequestError);
            return;
          }
          expect(compiled.sql).not.toContain('zq');
          for (const p of compiled.params) expect(['string', 'number', 'boolean']).toContain(typeof p);
        },
      ),
      { numRuns: 500 },
    );
  });
});
