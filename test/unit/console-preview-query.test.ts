import { describe, expect, it } from 'vitest';
import { ariaSort, cellText, chartQuery, nextOrder, pointOf, positionOf, stateFromQuery, stateToQuery, tableQuery, type PreviewState } from '../../console/src/preview/query.ts';

/** The preview's state as a URL carries it (embeds), and the records parameters it sends. */
describe('the console preview query state', () => {
  it('reads filters in the records grammar, the sort, the columns and the group-by from a URL, and writes them back', () => {
    // Arrange
    const q = new URLSearchParams('view=table&station__exact=S1&amount__greater=10&when__isnull=false&order_by=-amount&select=id,station&unknown=1&bad__op=2');
    // Act
    const state = stateFromQuery(q);
    // Assert
    expect(state).toEqual({
      view: 'table',
      filters: [
        { column: 'station', operator: 'exact', value: 'S1' },
        { column: 'amount', operator: 'greater', value: '10' },
        { column: 'when', operator: 'isnull', value: 'false' },
      ],
      orderBy: '-amount',
      select: ['id', 'station'],
      aggregate: 'count',
    });
    expect(stateToQuery(state)).toEqual({ view: 'table', station__exact: 'S1', amount__greater: '10', when__isnull: 'false', order_by: '-amount', select: 'id,station' });
    expect(stateFromQuery(new URLSearchParams(stateToQuery(state)))).toEqual(state);
  });

  it('falls back to the table for an unknown view, and reads an aggregate of a column', () => {
    expect(stateFromQuery(new URLSearchParams('view=pie')).view).toBe('table');
    const chart = stateFromQuery(new URLSearchParams('view=chart&group_by=station&aggregate=sum(amount)'));
    expect(chart).toMatchObject({ view: 'chart', groupBy: 'station', aggregate: 'sum', measure: 'amount' });
    expect(chartQuery(chart)).toEqual({ group_by: 'station', aggregate: 'sum(amount)', order_by: 'station' });
    // Without a group, a chart sends no group-by.
    expect(chartQuery({ view: 'chart', filters: [], aggregate: 'count' })).toEqual({});
  });

  it('keeps one filter per column and operator, the last one, as the API reads them', () => {
    const state: PreviewState = { view: 'table', filters: [{ column: 'a', operator: 'exact', value: '1' }, { column: 'a', operator: 'exact', value: '2' }], aggregate: 'count' };
    expect(tableQuery(state)).toEqual({ a__exact: '2' });
  });

  it.each([
    [undefined, 'amount', 'amount', 'none'],
    ['amount', 'amount', '-amount', 'ascending'],
    ['-amount', 'amount', undefined, 'descending'],
    ['-id', 'amount', 'amount', 'none'],
  ] as const)('sorts a header pressed under %s by %s: next %s (aria-sort now %s)', (current, column, next, aria) => {
    expect(nextOrder(current, column)).toBe(next);
    expect(ariaSort(current, column)).toBe(aria);
  });

  it('finds points as the records route does: a geopoint column first, else number columns lat and lon', () => {
    expect(positionOf([{ name: 'where', type: 'geopoint' }, { name: 'lat', type: 'number' }, { name: 'lon', type: 'number' }])).toEqual({ geopoint: 'where' });
    expect(positionOf([{ name: 'Latitude', type: 'number' }, { name: 'lng', type: 'integer' }])).toEqual({ lat: 'Latitude', lon: 'lng' });
    expect(positionOf([{ name: 'lat', type: 'string' }, { name: 'lon', type: 'number' }])).toBeUndefined();
    expect(pointOf({ where: { lon: 5.7, lat: 45.2 } }, { geopoint: 'where' })).toEqual([45.2, 5.7]);
    expect(pointOf({ lat: 45.2, lon: null }, { lat: 'lat', lon: 'lon' })).toBeUndefined();
    expect(cellText({ lon: 5.7, lat: 45.2 })).toBe('45.2, 5.7');
    expect(cellText(null)).toBe('—');
  });
});
