import { createHash } from 'node:crypto';
import { pipeline, type Readable } from 'node:stream';
import type { ExportFormat } from '../../../schemas/query.ts';
import type { ObjectStore, ObjectWriter } from '../../ports/object-store.ts';
import type { QueryEngine } from '../../ports/query-engine.ts';
import { InvalidRequestError } from '../errors.ts';
import type { Principal } from '../model.ts';
import { ndjsonToFeatureCollection } from './geojson-features.ts';
import { parseQuery, positionOf } from './grammar.ts';
import { compileExport } from './sql.ts';
import type { QueryTables, RecordsParams, Table } from './tables.ts';

/** How long the URL of an export stays valid. */
export const EXPORT_URL_SECONDS = 900;
/** Where exports are kept; the bucket's lifecycle removes them after a day. */
export const EXPORT_PREFIX = 'exports/';

const EXTENSION: Record<ExportFormat, string> = { csv: 'csv', ndjson: 'ndjson', geojson: 'geojson', parquet: 'parquet' };

/** A page's parameters have no meaning for the whole answer: said, not ignored. */
function refusePaging(params: RecordsParams): void {
  for (const name of ['limit', 'cursor'] as const) {
    if (params[name] !== undefined) throw new InvalidRequestError(`${name}: an export is the whole answer; page with GET …/records instead`);
  }
}

/**
 * The whole answer of a query as one file: written by the engine to its disk, streamed to storage under a name
 * derived from the copy's ETag and the compiled query (the same export is made once), handed out as a short-lived URL.
 */
export class QueryExports {
  constructor(private readonly deps: { tables: QueryTables; engine: QueryEngine; objects: ObjectStore; writer: ObjectWriter }) {}

  /** An export of an open version (the latest open one by default). */
  async open(datasetId: string, format: ExportFormat, params: RecordsParams): Promise<string> {
    refusePaging(params);
    return this.export(await this.deps.tables.open(datasetId, params), format, params);
  }

  /** An export under a licence: one access counted, the enforced copy only. */
  async licensed(principal: Principal, licenceId: string, format: ExportFormat, params: RecordsParams): Promise<string> {
    const table = await this.deps.tables.licensed(principal, licenceId, params, () => refusePaging(params));
    return this.export(table, format, params);
  }

  private async export(table: Table, format: ExportFormat, params: RecordsParams): Promise<string> {
    const columns = await this.deps.engine.columns({ key: table.key });
    const spec = parseQuery(params, columns);
    let position: ReturnType<typeof positionOf> | undefined;
    if (format === 'geojson') {
      if (spec.groupBy) throw new InvalidRequestError('geojson: a grouped answer has no points; export it as csv, ndjson or parquet');
      position = positionOf(spec.select, 'geojson needs');
    }
    const compiled = compileExport(spec, columns, format === 'geojson' ? 'ndjson' : format, await this.deps.engine.dialectFor({ key: table.key }));
    const head = await this.deps.objects.head(table.key);
    const id = createHash('sha256').update(JSON.stringify([table.key, head?.etag ?? '', format, compiled.sql, compiled.params])).digest('hex').slice(0, 40);
    const key = `${EXPORT_PREFIX}${id}.${EXTENSION[format]}`;
    if (!(await this.deps.objects.head(key))) {
      await this.deps.engine.export({ key: table.key }, compiled, format === 'geojson' ? 'ndjson' : format, async (bytes: Readable) => {
        const features = position ? ndjsonToFeatureCollection(position) : undefined;
        // The writer sees the transform's error when the engine's bytes fail.
        const body = features ? pipeline(bytes, features, (error) => error && features.destroy(error)) : bytes;
        await this.deps.writer.writeStream(key, body);
      });
    }
    const name = `${table.datasetId}-v${table.version}.${EXTENSION[format]}`;
    return (await this.deps.objects.presignGet(key, EXPORT_URL_SECONDS, name)).url;
  }
}
