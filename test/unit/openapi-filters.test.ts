import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../functions/domain/query/grammar.ts';
import { buildOpenApiDocument } from '../../schemas/openapi.ts';
import { routes } from '../../schemas/routes.ts';

const COLUMNS = [{ name: 'station', type: 'string' }, { name: 'amount', type: 'number' }, { name: 'when__x', type: 'date' }] as const;

describe('the records filters in the OpenAPI document', () => {
  const doc = buildOpenApiDocument('test') as unknown as { paths: Record<string, Record<string, { parameters?: { name: string; in: string; style?: string; explode?: boolean; schema: { patternProperties: Record<string, unknown> } }[] }>> };
  const filtersOf = (path: string) => doc.paths[path]?.get?.parameters?.find((p) => p.name === 'filters');

  it('declares `column__operator` parameters on every route that takes them, and only there', () => {
    const declared = Object.values(routes)
      .filter((r) => filtersOf(r.path) !== undefined && r.method === 'GET')
      .map((r) => r.path)
      .sort();
    expect(declared).toEqual(['/open/datasets/{id}/exports/{format}', '/open/datasets/{id}/records', '/v1/licences/{id}/exports/{format}', '/v1/licences/{id}/records']);
    expect(filtersOf('/open/datasets/{id}/records')).toMatchObject({ in: 'query', style: 'form', explode: true });
  });

  it('names exactly the parameters the grammar accepts as filters', () => {
    const pattern = new RegExp(Object.keys(filtersOf('/open/datasets/{id}/records')!.schema.patternProperties)[0]!);
    const accepted = (key: string) => {
      try {
        parseQuery({ [key]: key.endsWith('__isnull') ? 'true' : key.startsWith('amount') ? '1' : key.startsWith('when') ? '2024-01-01' : 'x' }, COLUMNS);
        return true;
      } catch {
        return false;
      }
    };
    for (const key of ['station__exact', 'station__differs', 'station__in', 'station__contains', 'amount__less', 'amount__greater', 'amount__isnull', 'when__x__exact']) {
      expect([key, pattern.test(key)]).toEqual([key, true]);
      expect([key, accepted(key)]).toEqual([key, true]);
    }
    for (const key of ['station', 'station__like', '__exact', 'station_exact']) {
      expect([key, pattern.test(key)]).toEqual([key, false]);
      expect([key, accepted(key)]).toEqual([key, false]);
    }
  });
});
