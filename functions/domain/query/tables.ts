import type { CatalogueStore, VersionRecord } from '../../ports/catalogue.ts';
import { actorOf } from '../audit/audit-trail.ts';
import { DatasetNotFoundError, VersionNotFoundError } from '../catalogue/errors.ts';
import { InvalidRequestError } from '../errors.ts';
import type { AccessService } from '../licences/access-service.ts';
import type { Principal } from '../model.ts';
import { parquetKeyOf, variantParquetKeyOf } from './columnar.ts';
import { QueryDeniedError, VariantPreparingError } from './errors.ts';

/** The query string of a records request or an export: reserved parameters and `column__operator` filters. */
export type RecordsParams = Readonly<Record<string, string | undefined>>;

/** Where a query reads: the Parquet object, the version it copies and its dataset. */
export interface Table {
  readonly key: string;
  readonly version: number;
  readonly datasetId: string;
}

const versionOf = (params: RecordsParams): number | undefined => {
  if (params.version === undefined) return undefined;
  const n = Number(params.version);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidRequestError('version: a positive integer');
  return n;
};

const isOpen = (v: VersionRecord | undefined): v is VersionRecord & { objectKey: string } => v?.status === 'published' && v.open === true && !!v.objectKey;

/** Which columnar copy a query reads: an open version's, or under a licence the enforced one, after the access decision. */
export class QueryTables {
  constructor(private readonly deps: { catalogue: CatalogueStore; access: AccessService }) {}

  /**
   * An open version's copy (the latest open one by default). When the caller `expects` a table, one consistent read of
   * the dataset and that version confirms it; anything else is answered by the full reads.
   */
  async open(datasetId: string, params: RecordsParams, expects?: Table): Promise<Table> {
    const n = versionOf(params);
    if (expects && (await this.confirms(datasetId, n, expects))) return expects;
    // Both reads at once: the version is only used once the dataset is known to be tabular.
    const [dataset, version] = await Promise.all([
      this.deps.catalogue.getDataset(datasetId),
      n === undefined ? this.deps.catalogue.latestPublishedVersion(datasetId) : this.deps.catalogue.getVersion(datasetId, n),
    ]);
    if (!dataset || dataset.format === 'file') throw new DatasetNotFoundError(datasetId);
    if (!isOpen(version)) throw n === undefined ? new DatasetNotFoundError(datasetId) : new VersionNotFoundError(datasetId, n);
    return { key: parquetKeyOf(version.objectKey), version: version.version, datasetId };
  }

  /** True when the dataset and the version asked (else the expected one), read at once, name the table the full reads would. */
  private async confirms(datasetId: string, asked: number | undefined, expected: Table): Promise<boolean> {
    const { dataset, version } = await this.deps.catalogue.getDatasetAndVersion(datasetId, asked ?? expected.version);
    // A dataset's format never changes: the expected table came from one already found tabular.
    if (!dataset || !isOpen(version) || parquetKeyOf(version.objectKey) !== expected.key) return false;
    // The latest published version is the dataset's own counter, moved in the same transaction as the publication.
    return asked !== undefined || dataset.latestVersion === version.version;
  }

  /**
   * The enforced copy under a licence: the access decision runs (validity, quota, zones…) and counts one access.
   * `beforeCounting` checks what the caller sent that can be checked without the table, so a malformed request costs no quota.
   */
  async licensed(principal: Principal, licenceId: string, params: RecordsParams, beforeCounting: () => void): Promise<Table> {
    const n = versionOf(params);
    const licence = await this.deps.access.licenseeLicence(principal, licenceId);
    beforeCounting();
    const purpose = params.purpose ?? licence.purpose;
    if (!/^[a-z0-9][a-z0-9-]{1,63}$/.test(purpose)) throw new InvalidRequestError('purpose: purposes are lower-case slugs');
    const { decision, record } = await this.deps.access.grantRecordedUnder(licence, { purpose, ...(n ? { version: n } : {}) }, actorOf(principal));
    if (decision.decision === 'deny') {
      const reasons = decision.reasons ?? [];
      throw new QueryDeniedError(reasons.map((r) => `${r.clause}: ${r.message}`).join('; ') || 'access denied', { details: reasons });
    }
    if (decision.status === 'preparing') throw new VariantPreparingError(decision.retryAfter ?? 2);
    // A permit always carries the record it wrote: what it names is the copy this query may read.
    if (!record) throw new VariantPreparingError(2);
    const key = record.variantKey ? variantParquetKeyOf(record.variantKey) : parquetKeyOf(record.objectKey);
    return { key, version: record.version, datasetId: licence.datasetId };
  }
}
