import { createHash } from 'node:crypto';
import { ROW_COLUMN, ident } from '../../domain/query/sql.ts';
import type { ColumnSpec, SqlDialect } from '../../ports/query-engine.ts';

/** The catalogue table of one columnar copy: named from its key, so each immutable copy has its own. */
export const athenaTableOf = (key: string): string => `copy_${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;

/** Athena (Trino) over the catalogue table of a copy. */
export function athenaDialect(database: string, key: string): SqlDialect {
  return {
    from: `${ident(database)}.${ident(athenaTableOf(key))}`,
    row: ident(ROW_COLUMN),
    cast: (placeholder, type) => (type === 'TIMESTAMPTZ' ? `from_iso8601_timestamp(${placeholder})` : `CAST(${placeholder} AS ${type})`),
    isoDatetime: (c) => `to_iso8601(with_timezone(${c}, 'UTC'))`,
  };
}

/** A value as the SQL literal Athena's execution parameters expect: always text, cast in the statement. */
const literalOf = (value: string | number | boolean): string => `'${String(value).replaceAll("'", "''")}'`;

/**
 * Rewrites `$n` placeholders into Athena's positional `?`, each occurrence with its own value, in text order.
 * Quoted identifiers and string literals are skipped, so a column named `"a$2"` stays a name.
 */
export function positional(sql: string, params: readonly (string | number | boolean)[]): { sql: string; parameters: string[] } {
  let out = '';
  const parameters: string[] = [];
  for (let i = 0; i < sql.length; ) {
    const ch = sql[i]!;
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      // A doubled quote is an escaped one inside the same token.
      while (j < sql.length && !(sql[j] === ch && sql[j + 1] !== ch)) j += sql[j] === ch ? 2 : 1;
      out += sql.slice(i, j + 1);
      i = j + 1;
    } else if (ch === '$' && /\d/.test(sql[i + 1] ?? '')) {
      const digits = /^\d+/.exec(sql.slice(i + 1))![0];
      const index = Number(digits) - 2;
      if (index < 0 || index >= params.length) throw new Error(`placeholder $${digits} has no value`);
      parameters.push(literalOf(params[index]!));
      out += '?';
      i += 1 + digits.length;
    } else {
      out += ch;
      i += 1;
    }
  }
  return { sql: out, parameters };
}

const GLUE_TYPE: Record<ColumnSpec['type'], string> = {
  string: 'string', integer: 'bigint', number: 'double', boolean: 'boolean', date: 'date', datetime: 'timestamp', geopoint: 'struct<lon:double,lat:double>',
};

/** The catalogue type of a column as the copy writes it. */
export const glueTypeOf = (column: ColumnSpec): string => GLUE_TYPE[column.type];
