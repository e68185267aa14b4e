import type { ObjectStore } from '../../ports/object-store.ts';
import type { ColumnSpec, CompiledQuery, ExportFormat, ParquetObject, QueryEngine, QueryRows, SqlDialect, TabularFormat } from '../../ports/query-engine.ts';
import { BoundedCache } from '../bounded-cache.ts';
import { ColumnarCopyMissingError } from './errors.ts';

/**
 * Queries a copy in the function's own engine while it fits the function (memory, ephemeral storage), and in the
 * distributed engine beyond: the same query, compiled in the dialect of the engine that runs it.
 */
export class SizeRoutedEngine implements QueryEngine {
  /** Copies are immutable: their size, once known, never changes. */
  private readonly sizes = new BoundedCache<string, number>(10_000);

  constructor(private readonly deps: { local: QueryEngine; distributed: QueryEngine; objects: Pick<ObjectStore, 'head'>; localMaxBytes: number }) {}

  /** The engine that runs queries over `table`. */
  async engineFor(table: ParquetObject): Promise<QueryEngine> {
    let size = this.sizes.get(table.key);
    if (size === undefined) {
      const head = await this.deps.objects.head(table.key);
      if (!head) throw new ColumnarCopyMissingError(table.key);
      size = head.size;
      this.sizes.set(table.key, size);
    }
    return size > this.deps.localMaxBytes ? this.deps.distributed : this.deps.local;
  }

  async dialectFor(table: ParquetObject): Promise<SqlDialect> {
    return (await this.engineFor(table)).dialectFor(table);
  }

  /** Copies are written by the function's engine, whatever their size, each with its row numbers as a column: the distributed engine may read it. */
  toParquet(source: Parameters<QueryEngine['toParquet']>[0], format: TabularFormat, columns: readonly ColumnSpec[], sink: Parameters<QueryEngine['toParquet']>[3]): Promise<{ rows: number }> {
    return this.deps.local.toParquet(source, format, columns, sink, { rowColumn: true });
  }

  async columns(table: ParquetObject): Promise<ColumnSpec[]> {
    return (await this.engineFor(table)).columns(table);
  }

  async query(table: ParquetObject, query: CompiledQuery): Promise<QueryRows> {
    return (await this.engineFor(table)).query(table, query);
  }

  async export(table: ParquetObject, query: CompiledQuery, format: ExportFormat, sink: Parameters<QueryEngine['export']>[3]): Promise<void> {
    return (await this.engineFor(table)).export(table, query, format, sink);
  }
}
