import type { RecordsPage } from '../../../schemas/query.ts';
import type { AccessStore } from '../../ports/access.ts';
import type { CatalogueStore, VersionRecord } from '../../ports/catalogue.ts';
import type { ColumnSpec, QueryEngine } from '../../ports/query-engine.ts';
import { actorOf } from '../audit/audit-trail.ts';
import { DatasetNotFoundError, VersionNotFoundError } from '../catalogue/errors.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { InvalidRequestError } from '../errors.ts';
import type { AccessService } from '../licences/access-service.ts';
import type { Principal } from '../model.ts';
import { parquetKeyOf, variantParquetKeyOf } from './columnar.ts';
import { QueryDeniedError, VariantPreparingError } from './errors.ts';
import { parseQuery } from './grammar.ts';
import { compilePage, KEY_PREFIX } from './sql.ts';

/** The query string of a records request: reserved parameters and `column__operator` filters. */
export type RecordsParams = Readonly<Record<string, string | undefined>>;


/** Where a query reads: the Parquet object and the version it copies. */
interface Table {
  readonly key: string;
  readonly version: number;
}

const versionOf = (params: RecordsParams): number | undefined => {
  if (params.version === undefined) return undefined;
  const n = Number(params.version);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidRequestError('version: a positive integer');
  return n;
};

/**
 * Queries over the columnar copy of a version: open data for anyone, and under a licence the enforced copy only,
 * each call counted as one access by the licence's access clauses.
 */
export class QueryService {
  constructor(private readonly deps: { catalogue: CatalogueStore; engine: QueryEngine; access: AccessService; accessStore: AccessStore }) {}

  /** Records of an open version (the latest open one by default). */
  async openRecords(datasetId: string, params: RecordsParams): Promise<RecordsPage> {
    const n = versionOf(params);
    const dataset = await this.deps.catalogue.getDataset(datasetId);
    if (!dataset || dataset.format === 'file') throw new DatasetNotFoundError(datasetId);
    const version = n === undefined ? await this.deps.catalogue.latestPublishedVersion(datasetId) : await this.deps.catalogue.getVersion(datasetId, n);
    const open = (v: VersionRecord | undefined): v is VersionRecord & { objectKey: string } => v?.status === 'published' && v.open === true && !!v.objectKey;
    if (!open(version)) throw n === undefined ? new DatasetNotFoundError(datasetId) : new VersionNotFoundError(datasetId, n);
    return this.page({ key: parquetKeyOf(version.objectKey), version: version.version }, params);
  }

  /** Records under a licence: the access decision runs (validity, quota, zones…), then the query reads the enforced copy. */
  async licensedRecords(principal: Principal, licenceId: string, params: RecordsParams): Promise<RecordsPage> {
    const n = versionOf(params);
    const licence = await this.deps.access.licenseeLicence(principal, licenceId);
    // The cursor and filters are checked before the access is counted: a malformed query costs no quota.
    if (params.cursor !== undefined) decodeCursor(params.cursor, { f: 'string', k: 'string' });
    const purpose = params.purpose ?? licence.purpose;
    if (!/^[a-z0-9][a-z0-9-]{1,63}$/.test(purpose)) throw new InvalidRequestError('purpose: purposes are lower-case slugs');
    const decision = await this.deps.access.grantUnder(licence, { purpose, ...(n ? { version: n } : {}) }, actorOf(principal));
    if (decision.decision === 'deny') {
      const reasons = decision.reasons ?? [];
      throw new QueryDeniedError(reasons.map((r) => `${r.clause}: ${r.message}`).join('; ') || 'access denied', { details: reasons });
    }
    if (decision.status === 'preparing') throw new VariantPreparingError(decision.retryAfter ?? 2);
    const record = await this.deps.accessStore.getAccess(decision.accessId!);
    if (!record) throw new VariantPreparingError(2);
    const key = record.variantKey ? variantParquetKeyOf(record.variantKey) : parquetKeyOf(record.objectKey);
    return this.page({ key, version: record.version }, params);
  }

  private async page(table: Table, params: RecordsParams): Promise<RecordsPage> {
    const columns = await this.deps.engine.columns({ key: table.key });
    const spec = parseQuery(params, columns);
    const after = params.cursor === undefined ? undefined : this.after(params.cursor);
    const compiled = compilePage(table.key, spec, after?.keys);
    if (after && after.fingerprint !== compiled.fingerprint) throw new InvalidRequestError('cursor belongs to another query: repeat the same parameters with it');
    const { rows } = await this.deps.engine.query({ key: table.key }, compiled);
    const more = rows.length > spec.limit;
    const kept = more ? rows.slice(0, spec.limit) : rows;
    const keysOf = (row: Record<string, unknown>) => Array.from({ length: compiled.keyCount }, (_, i) => row[`${KEY_PREFIX}${i}`] ?? null);
    const last = kept[kept.length - 1];
    const records = kept.map((row) => Object.fromEntries(Object.entries(row).filter(([k]) => !k.startsWith(KEY_PREFIX))));
    return {
      version: table.version,
      fields: fieldsOf(columns, spec),
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

/** The fields of the answer: the selected columns, or the group columns and aggregates. */
function fieldsOf(columns: readonly ColumnSpec[], spec: ReturnType<typeof parseQuery>): { name: string; type: string }[] {
  if (!spec.groupBy) return spec.select.map((c) => ({ name: c.name, type: c.type }));
  return [
    ...spec.groupBy.map((c) => ({ name: c.name, type: c.type })),
    ...spec.aggregates.map((a) => ({ name: a.name, type: a.fn === 'count' ? 'integer' : a.fn === 'sum' || a.fn === 'avg' ? 'number' : (columns.find((c) => c.name === a.column?.name)?.type ?? 'string') })),
  ];
}
