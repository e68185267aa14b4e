import type { DatasetFormat, SchemaField } from '../../../schemas/dataset.ts';
import type { CatalogueStore } from '../../ports/catalogue.ts';
import type { ObjectStore, ObjectWriter } from '../../ports/object-store.ts';
import type { ColumnarRegistry, ColumnSpec, QueryEngine, TabularFormat } from '../../ports/query-engine.ts';
import type { TransformPlan } from '../enforcement/index.ts';

/** The columnar copy of a published object, beside it (purged with it). */
export const parquetKeyOf = (objectKey: string): string => `${objectKey}.parquet`;
/** The columnar copy of an enforced variant, beside it under `derived/`. */
export const variantParquetKeyOf = (variantKey: string): string => `${variantKey.replace(/\.csv$/, '')}.parquet`;

/** The column GeoJSON point geometries become. */
export const GEOMETRY_COLUMN = 'geometry';

/** The columns a copy describes: the schema's, plus the geometry of GeoJSON points when the schema has none. */
export const describedColumns = (format: TabularFormat, columns: readonly ColumnSpec[]): ColumnSpec[] =>
  format === 'geojson' && !columns.some((c) => c.name === GEOMETRY_COLUMN) ? [...columns, { name: GEOMETRY_COLUMN, type: 'geopoint' }] : [...columns];

/** True for the formats that get a columnar copy. */
export const isTabular = (format: DatasetFormat): format is TabularFormat => format !== 'file';

/** The columns of a Table Schema. */
export const columnsOf = (fields: readonly SchemaField[]): ColumnSpec[] =>
  fields.map((f) => ({ name: f.name, type: f.type, ...(f.personal ? { personal: true } : {}) }));

/** The columns an enforced variant keeps: dropped fields gone, redacted and pseudonymised ones now text. */
export function enforcedColumns(plan: TransformPlan, fields: readonly SchemaField[]): ColumnSpec[] {
  const kept = new Set(plan.outputFields);
  const rewritten = new Set(plan.steps.flatMap((s) => (s.kind === 'redact-fields' || s.kind === 'pseudonymise-fields' ? s.fields : [])));
  return columnsOf(fields.filter((f) => kept.has(f.name))).map((c) => (rewritten.has(c.name) ? { ...c, type: 'string' as const } : c));
}

/** Writes typed Parquet copies of stored tabular objects, streamed through the engine's local storage. */
export class ColumnarCopier {
  /** `registry`, when set, makes each copy queryable by the distributed engine (a catalogue table per copy). */
  constructor(private readonly deps: { objects: ObjectStore; writer: ObjectWriter; engine: QueryEngine; registry?: ColumnarRegistry }) {}

  /** Reads `source`, writes its Parquet copy under `target`; resolves with the rows written. */
  async copy(source: string, target: string, format: TabularFormat, columns: readonly ColumnSpec[]): Promise<{ rows: number }> {
    const { body } = await this.deps.objects.read(source);
    const written = await this.deps.engine.toParquet(body, format, columns, (parquet) => this.deps.writer.writeStream(target, parquet));
    await this.deps.registry?.register(target, describedColumns(format, columns));
    return written;
  }
}

/**
 * The copy of each published version, made apart from its validation (the bus's `dataset.version.published`),
 * so ingest keeps streaming in bounded memory while the engine gets the memory a copy needs.
 */
export class PublishedVersionCopies {
  constructor(private readonly deps: { catalogue: Pick<CatalogueStore, 'getDataset' | 'getVersion'>; copier: ColumnarCopier; objects: Pick<ObjectStore, 'head'> }) {}

  /**
   * Copies the versions published before copies existed (or whose copy failed): each version without a copy
   * gets one, one at a time; a second run finds them all and writes nothing.
   */
  async backfill(versions: AsyncIterable<{ datasetId: string; version: number }>, progress?: (line: string) => void): Promise<{ copied: number; present: number; skipped: number; failed: number }> {
    const totals = { copied: 0, present: 0, skipped: 0, failed: 0 };
    for await (const { datasetId, version } of versions) {
      const record = await this.deps.catalogue.getVersion(datasetId, version);
      if (record?.objectKey && (await this.deps.objects.head(parquetKeyOf(record.objectKey)))) {
        totals.present += 1;
        continue;
      }
      try {
        const outcome = await this.copy(datasetId, version);
        if (outcome === 'skipped') totals.skipped += 1;
        else totals.copied += 1;
        progress?.(`${datasetId} v${version}: ${outcome === 'skipped' ? 'not tabular or no longer published' : `${outcome.rows} rows`}`);
      } catch (error) {
        // One version the engine cannot read must not stop the others; it is named for the operator.
        totals.failed += 1;
        progress?.(`${datasetId} v${version}: failed, ${(error as Error).message}`);
      }
    }
    return totals;
  }

  /** Writes the copy of a published tabular version; anything else (gone, purged, not tabular) is skipped. */
  async copy(datasetId: string, version: number): Promise<{ rows: number } | 'skipped'> {
    const [dataset, record] = await Promise.all([this.deps.catalogue.getDataset(datasetId), this.deps.catalogue.getVersion(datasetId, version)]);
    if (!dataset || !isTabular(dataset.format) || record?.status !== 'published' || !record.objectKey) return 'skipped';
    return this.deps.copier.copy(record.objectKey, parquetKeyOf(record.objectKey), dataset.format, columnsOf(dataset.schema?.fields ?? []));
  }
}
