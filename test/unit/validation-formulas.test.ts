import { describe, expect, it } from 'vitest';
import { createValidator } from '../../functions/domain/ingest/validation/index.ts';
import type { QualityReport, SchemaField } from '../../schemas/dataset.ts';

const fields: SchemaField[] = [
  { name: 'id', type: 'integer' },
  { name: 'label', type: 'string' },
  { name: 'amount', type: 'number' },
  { name: 'where', type: 'geopoint' },
];

function csv(text: string, chunk = text.length): QualityReport {
  const all = new TextEncoder().encode(text);
  const v = createValidator('csv', fields, {});
  for (let at = 0; at < all.length; at += chunk) v.push(all.slice(at, at + chunk));
  return v.finish();
}

describe('CSV validation: spreadsheet formulas', () => {
  it.each([
    ['"=HYPERLINK(""http://x"")"'],
    ['=1+1'],
    ['@SUM(A1)'],
    ['+cmd|\' /C calc\'!A0'],
    ['-2+3+cmd|\' /C calc\'!A0'],
    ['"\tindented"'],
    ['"\rreturn"'],
    ['"=quoted"'],
  ])('shouldWarn_whenACellBeginsLikeAFormula: %s', (label) => {
    // Act
    const report = csv(`id,label,amount,where\n1,ok,1,"48.8,2.3"\n2,${label},2,"48.8,2.3"\n`);
    // Assert: a warning with its row, never an error
    expect(report.spreadsheetFormulas).toEqual({ count: 1, rows: [2] });
    expect(report.errorCount).toBe(0);
  });

  it('shouldNotWarn_forPlainNumbers, negative or signed, in numeric or text columns', () => {
    const report = csv('id,label,amount,where\n-3,-3.5,-3.5,"-48.8,-2.3"\n+4,+33612345678,-1e-3,"48.8,2.3"\n5,a-b,0,"48.8,2.3"\n');
    expect(report.spreadsheetFormulas).toBeUndefined();
    expect(report.errorCount).toBe(0);
  });

  it('counts every such cell, lists the first 20 rows once each, also in columns outside the schema and across chunks', () => {
    const rows = Array.from({ length: 30 }, (_, i) => `${i},=A${i},=B${i},"48.8,2.3",@extra`).join('\n');
    const report = csv(`id,label,amount,where,extra\n${rows}\n`, 7);
    expect(report.spreadsheetFormulas).toEqual({ count: 90, rows: Array.from({ length: 20 }, (_, i) => i + 1) });
  });
});
