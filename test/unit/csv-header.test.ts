import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { withCsvHeader } from '../../functions/domain/query/csv-header.ts';

/** The export header an engine lower-cased, named again as the schema names its columns. */
describe('withCsvHeader', () => {
  const through = (chunks: string[], names: string[]) => text(Readable.from(chunks.map((c) => Buffer.from(c))).pipe(withCsvHeader(names)));

  it.each([
    ['header and rows in one chunk', ['"station","measuredon"\n"S1","2024-01-01"\n']],
    ['header split across chunks', ['"stat', 'ion","measu', 'redon"\n"S1",', '"2024-01-01"\n']],
    ['line break alone in its chunk', ['"station","measuredon"', '\n', '"S1","2024-01-01"\n']],
  ])('replaces only the first line: %s', async (_, chunks) => {
    expect(await through(chunks, ['station', 'measuredOn'])).toBe('"station","measuredOn"\n"S1","2024-01-01"\n');
  });

  it('quotes names as RFC 4180 does', async () => {
    expect(await through(['"a","b"\n1,2\n'], ['Nom "court"', 'Date, heure'])).toBe('"Nom ""court""","Date, heure"\n1,2\n');
  });

  it('writes the header of an answer without rows, with or without its line break', async () => {
    expect(await through(['"a"\n'], ['A'])).toBe('"A"\n');
    expect(await through(['"a"'], ['A'])).toBe('"A"\n');
    expect(await through([], ['A'])).toBe('"A"\n');
  });

  it('leaves every byte after the first line as it came, multi-byte characters split across chunks included', async () => {
    const body = Buffer.from('"x"\n"Évian","Zürich"\n');
    const cut = body.indexOf(0xc3) + 1;
    expect(await text(Readable.from([body.subarray(0, cut), body.subarray(cut)]).pipe(withCsvHeader(['X'])))).toBe('"X"\n"Évian","Zürich"\n');
  });
});
