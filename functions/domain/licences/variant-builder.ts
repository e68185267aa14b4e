import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AccessStore } from '../../ports/access.ts';
import type { CatalogueStore } from '../../ports/catalogue.ts';
import type { LicenceStore } from '../../ports/licensing.ts';
import type { ObjectStore, ObjectWriter } from '../../ports/object-store.ts';
import type { Clock } from '../../ports/time.ts';
import { createCsvTransformer, createGroupCounter, type GroupCounts, type TransformPlan } from '../enforcement/index.ts';
import { enforcedColumns, variantParquetKeyOf, type ColumnarCopier } from '../query/columnar.ts';
import type { AccessService } from './access-service.ts';
import { VARIANT_LEASE_MS } from './variant-lease.ts';

/** A builder that crashed gives its lease up after this long. */
const LEASE_MS = VARIANT_LEASE_MS;

export type BuildOutcome = 'built' | 'ready' | 'busy' | 'skipped';

/**
 * Builds the enforced variant an access waits for: streams the published object through the
 * licence's transforms, S3 to S3, once per variant even under concurrent requests (a DynamoDB lease).
 */
export class VariantBuilder {
  constructor(
    private readonly deps: {
      access: AccessStore;
      accessService: AccessService;
      licences: LicenceStore;
      catalogue: CatalogueStore;
      objects: ObjectStore;
      writer: ObjectWriter;
      clock: Clock;
      /** Writes the enforced Parquet copy queries under the licence read; absent, variants are CSV only. */
      columnar?: ColumnarCopier;
      /** Told when a variant's Parquet copy fails twice (the variant itself is still served). */
      onColumnarFailure?: (variantKey: string, error: unknown) => void;
    },
  ) {}

  async buildFor(accessId: string): Promise<BuildOutcome> {
    const record = await this.deps.access.getAccess(accessId);
    if (!record?.variantKey) return 'skipped';
    if ((await this.deps.access.getVariant(record.variantKey))?.status === 'ready') return 'ready';
    const now = this.deps.clock.now();
    const leaseUntil = new Date(now.getTime() + LEASE_MS).toISOString();
    if (!(await this.deps.access.acquireLease(record.variantKey, now.toISOString(), leaseUntil))) return 'busy';
    try {
      const [licence, dataset, version] = await Promise.all([
        this.deps.licences.getLicence(record.licenceId),
        this.deps.catalogue.getDataset(record.datasetId),
        this.deps.catalogue.getVersion(record.datasetId, record.version),
      ]);
      if (licence?.state !== 'active' || !dataset || !version?.objectKey || version.status !== 'published') throw new Error('the licence is not active or the version is gone');
      const enforcement = await this.deps.accessService.enforcementOf(licence, dataset.format, dataset.schema?.fields ?? [], version);
      if (!enforcement) throw new Error('the licence no longer transforms this version');
      if ('denied' in enforcement) throw new Error(enforcement.denied.message);
      // Zones or terms changed since the access: its variant would no longer match its key.
      if (enforcement.variantKey !== record.variantKey) throw new Error('the licence terms changed since this access; ask again');
      const result = await this.transform(version.objectKey, record.variantKey, enforcement.plan, Buffer.from(licence.pseudonymKey, 'base64url'));
      // A licensee's queries read only enforced bytes: the Parquet copy is made from the variant, before it is ready.
      if (this.deps.columnar) await this.copyForQueries(this.deps.columnar, record.variantKey, enforcedColumns(enforcement.plan, dataset.schema?.fields ?? []));
      // A purge during the build must not leave its bytes behind.
      const still = await this.deps.catalogue.getVersion(record.datasetId, record.version);
      if (still?.status !== 'published') {
        await this.deps.objects.deleteAllVersions(record.variantKey);
        await this.deps.objects.deleteAllVersions(variantParquetKeyOf(record.variantKey)).catch(() => undefined);
        throw new Error(`version ${record.version} was purged during the build`);
      }
      if (!(await this.deps.access.completeVariant(record.variantKey, leaseUntil, { ...result, builtAt: this.deps.clock.now().toISOString() }))) return 'busy';
      return 'built';
    } catch (error) {
      await this.deps.access.failVariant(record.variantKey, leaseUntil, (error as Error).message);
      throw error;
    }
  }

  /** The variant's Parquet copy, tried twice: a passing fault (disk, time) is not left to its licensee's queries. */
  private async copyForQueries(columnar: ColumnarCopier, variantKey: string, columns: ReturnType<typeof enforcedColumns>): Promise<void> {
    for (let attempt = 1; attempt <= 2; attempt++) {
      try {
        await columnar.copy(variantKey, variantParquetKeyOf(variantKey), 'csv', columns);
        return;
      } catch (error) {
        // Downloads do not wait on it: a copy failing twice leaves queries of this variant at 409 not_queryable, reported.
        if (attempt === 2) this.deps.onColumnarFailure?.(variantKey, error);
      }
    }
  }

  private async transform(source: string, target: string, plan: TransformPlan, hmacKey: Uint8Array): Promise<{ bytes: number; rowsIn: number; rowsOut: number }> {
    const groupCounts = plan.needsTwoPasses ? await this.countGroups(source, plan) : undefined;
    return enforceStream(this.deps.objects, this.deps.writer, source, target, plan, { hmacKey, ...(groupCounts ? { groupCounts } : {}) });
  }

  /** First pass of k-anonymity: group sizes over the whole file. */
  private async countGroups(source: string, plan: TransformPlan): Promise<GroupCounts> {
    const counter = createGroupCounter(plan);
    const { body } = await this.deps.objects.read(source);
    for await (const chunk of body as Readable) counter.push(chunk as Buffer);
    return counter.finish();
  }
}

/** Streams one object through a transform plan into another, S3 to S3, in bounded memory. */
export async function enforceStream(
  objects: ObjectStore,
  writer: ObjectWriter,
  source: string,
  target: string,
  plan: TransformPlan,
  options: { hmacKey: Uint8Array; groupCounts?: GroupCounts },
): Promise<{ bytes: number; rowsIn: number; rowsOut: number }> {
  const transformer = createCsvTransformer(plan, options);
  let bytes = 0;
  const emit = (out: Uint8Array) => {
    bytes += out.length;
    return out.length ? out : undefined;
  };
  const through = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      done(null, emit(transformer.push(chunk)));
    },
    flush(done) {
      done(null, emit(transformer.finish()));
    },
  });
  const { body } = await objects.read(source);
  const writing = writer.writeStream(target, through).catch((error: unknown) => {
    through.destroy(error as Error);
    throw error;
  });
  await Promise.all([pipeline(body, through), writing]);
  const stats = transformer.stats();
  return { bytes, rowsIn: stats.rowsIn, rowsOut: stats.rowsOut };
}
