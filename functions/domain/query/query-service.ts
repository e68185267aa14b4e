import type { RecordsPage } from '../../../schemas/query.ts';
import type { QueryEngine } from '../../ports/query-engine.ts';
import { BoundedCache } from '../bounded-cache.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { InvalidRequestError } from '../errors.ts';
import type { Principal } from '../model.ts';
import { parseQuery } from './grammar.ts';
import { answerColumns, compilePage, KEY_PREFIX } from './sql.ts';
import type { QueryTables, RecordsParams, Table } from './tables.ts';

export type { RecordsParams } from './tables.ts';

/**
 * Queries over the columnar copy of a version: open data for anyone, and under a licence the enforced copy only,
 * each call counted as one access by the licence's access clauses.
 */
export class QueryService {
  /** The table each open request last read, by dataset and version asked: where the next one likely reads. */
  private readonly lastOpen = new BoundedCache<string, Table>(1000);

  constructor(private readonly deps: { tables: QueryTables; engine: QueryEngine }) {}

  /**
   * Records of an open version (the latest open one by default). The query starts on the table the last request
   * read while the catalogue is read again, and its answer is given only if that read names the same table.
   */
  async openRecords(datasetId: string, params: RecordsParams): Promise<RecordsPage> {
    const at = `${datasetId}\u0000${params.version ?? ''}`;
    const guess = this.lastOpen.get(at);
    if (!guess) {
      const table = await this.deps.tables.open(datasetId, params);
      this.lastOpen.set(at, table);
      return this.page(table, params);
    }
    const [fresh, early] = await Promise.allSettled([this.deps.tables.open(datasetId, params, guess), this.page(guess, params)]);
    if (fresh.status === 'rejected') {
      this.lastOpen.delete(at);
      throw fresh.reason;
    }
    const table = fresh.value;
    this.lastOpen.set(at, table);
    // Released only when the catalogue, read now, names the table it came from: unpublished or replaced versions never answer.
    if (table.key !== guess.key || table.version !== guess.version) return this.page(table, params);
    if (early.status === 'rejected') throw early.reason;
    return early.value;
  }

  /** Records under a licence: the access decision runs (validity, quota, zones…), then the query reads the enforced copy. */
  async licensedRecords(principal: Principal, licenceId: string, params: RecordsParams): Promise<RecordsPage> {
    const table = await this.deps.tables.licensed(principal, licenceId, params, () => {
      if (params.cursor !== undefined) decodeCursor(params.cursor, { f: 'string', k: 'string' });
    });
    return this.page(table, params);
  }

  private async page(table: Table, params: RecordsParams): Promise<RecordsPage> {
    const columns = await this.deps.engine.columns({ key: table.key });
    const spec = parseQuery(params, columns);
    const after = params.cursor === undefined ? undefined : this.after(params.cursor);
    const compiled = compilePage(table.key, spec, after?.keys, await this.deps.engine.dialectFor({ key: table.key }));
    if (after && after.fingerprint !== compiled.fingerprint) throw new InvalidRequestError('cursor belongs to another query: repeat the same parameters with it');
    const { rows } = await this.deps.engine.query({ key: table.key }, compiled);
    const more = rows.length > spec.limit;
    const kept = more ? rows.slice(0, spec.limit) : rows;
    const keysOf = (row: Record<string, unknown>) => Array.from({ length: compiled.keyCount }, (_, i) => row[`${KEY_PREFIX}${i}`] ?? null);
    const last = kept[kept.length - 1];
    const shown = answerColumnNames(rows[0]);
    const records = kept.map((row) => {
      const record: Record<string, unknown> = {};
      for (const name of shown) record[name] = row[name];
      return record;
    });
    return {
      version: table.version,
      fields: answerColumns(spec, columns),
      records,
      ...(more && last ? { cursor: encodeCursor({ f: compiled.fingerprint, k: JSON.stringify(keysOf(last)) }) } : {}),
    };
  }

  private after(cursor: string): { fingerprint: string; keys: unknown[] } {
    const { f, k } = decodeCursor(cursor, { f: 'string', k: 'string' });
    let keys: unknown;
    try {
      keys = JSON.parse(String(k));
    } catch (cause) {
      throw new InvalidRequestError('cursor is not one this API returned', { cause });
    }
    if (!Array.isArray(keys)) throw new InvalidRequestError('cursor is not one this API returned');
    return { fingerprint: String(f), keys };
  }
}

/** The columns of an answer row a caller sees: all but the cursor's keys. */
function answerColumnNames(row: Record<string, unknown> | undefined): string[] {
  return row ? Object.keys(row).filter((k) => !k.startsWith(KEY_PREFIX)) : [];
}
