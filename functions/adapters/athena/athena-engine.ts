import { pipeline, type Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { type AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand, StopQueryExecutionCommand } from '@aws-sdk/client-athena';
import { EntityNotFoundException, GetTableCommand, type GlueClient } from '@aws-sdk/client-glue';
import { DependencyError } from '../../domain/errors.ts';
import { withCsvHeader } from '../../domain/query/csv-header.ts';
import { ColumnarCopyMissingError, QueryLimitError } from '../../domain/query/errors.ts';
import type { ObjectStore } from '../../ports/object-store.ts';
import type { ColumnSpec, CompiledQuery, ExportFormat, ParquetObject, QueryEngine, QueryRows, SqlDialect } from '../../ports/query-engine.ts';
import { athenaDialect, athenaTableOf, positional } from './athena-sql.ts';
import { athenaValue } from './athena-values.ts';

/** Where and within what a distributed query runs. */
export interface AthenaSettings {
  readonly workGroup: string;
  readonly database: string;
  /** The statement's budget; the workgroup's bytes-scanned cap bounds its cost. */
  readonly timeoutMs: number;
  /** How long to wait between two reads of a running query's state. */
  readonly pollMs?: number;
}

/** Schema metadata key of each catalogue table (the copy's Table Schema, as the Parquet file carries it). */
export const SCHEMA_PARAMETER = 'comptoir.schema';

/** Amazon Athena over the catalogue tables of columnar copies: for copies beyond what one function holds. */
export class AthenaQueryEngine implements QueryEngine {
  constructor(
    private readonly athena: AthenaClient,
    private readonly glue: GlueClient,
    /** Reads the answers Athena writes in the bucket (exports stream them from there). */
    private readonly objects: Pick<ObjectStore, 'read'>,
    private readonly bucket: string,
    private readonly settings: AthenaSettings,
  ) {}

  async dialectFor(table: ParquetObject): Promise<SqlDialect> {
    return athenaDialect(this.settings.database, table.key);
  }

  toParquet(): Promise<{ rows: number }> {
    return Promise.reject(new Error('copies are written by the embedded engine; Athena only reads them'));
  }

  async columns(table: ParquetObject): Promise<ColumnSpec[]> {
    try {
      const { Table } = await this.glue.send(new GetTableCommand({ DatabaseName: this.settings.database, Name: athenaTableOf(table.key) }));
      const text = Table?.Parameters?.[SCHEMA_PARAMETER];
      if (!text) throw new ColumnarCopyMissingError(table.key);
      return JSON.parse(text) as ColumnSpec[];
    } catch (error) {
      if (error instanceof EntityNotFoundException) throw new ColumnarCopyMissingError(table.key, { cause: error });
      if (error instanceof ColumnarCopyMissingError) throw error;
      throw new DependencyError('the query catalogue is unavailable', { cause: error });
    }
  }

  async query(_table: ParquetObject, query: CompiledQuery): Promise<QueryRows> {
    const { id } = await this.run(query);
    const rows: Record<string, unknown>[] = [];
    let columns: { name: string; type: string }[] = [];
    let token: string | undefined;
    do {
      const page = await this.dependency(() => this.athena.send(new GetQueryResultsCommand({ QueryExecutionId: id, NextToken: token, MaxResults: 1000 })));
      // Athena lower-cases names: the compiled query's own names, by position, keep the schema's case.
      columns = (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c, i) => ({ name: query.outputs?.[i] ?? c.Name ?? '', type: c.Type ?? 'varchar' }));
      // The first row of the first page repeats the column names.
      const data = (page.ResultSet?.Rows ?? []).slice(token === undefined ? 1 : 0);
      for (const row of data) rows.push(Object.fromEntries(columns.map((c, i) => [c.name, athenaValue(c.type, row.Data?.[i]?.VarCharValue)])));
      token = page.NextToken;
    } while (token);
    return { columns: columns.map((c) => c.name), rows };
  }

  async export(_table: ParquetObject, query: CompiledQuery, format: ExportFormat, sink: (bytes: Readable) => Promise<void>): Promise<void> {
    // Athena writes one CSV per statement; other formats would need a multi-file UNLOAD.
    if (format !== 'csv') throw new QueryLimitError(`this version is too large to export as ${format} in one file; export it as csv`);
    const { outputLocation: location } = await this.run(query);
    const prefix = `s3://${this.bucket}/`;
    if (!location.startsWith(prefix)) throw new DependencyError(`the query's answer is outside the datasets bucket (${location})`);
    const { body } = await this.objects.read(location.slice(prefix.length));
    if (!query.outputs) return sink(body);
    // Athena's header is lower-cased: the export names its columns as the schema does; a failed read reaches the writer.
    const named = withCsvHeader(query.outputs);
    await sink(pipeline(body, named, (error) => error && named.destroy(error)));
  }

  /** Starts the statement and waits for it within the budget; a cancelled or over-budget query is the caller's 422. */
  private async run(query: CompiledQuery): Promise<{ id: string; outputLocation: string }> {
    const { sql, parameters } = positional(query.sql, query.params);
    const started = await this.dependency(() =>
      this.athena.send(new StartQueryExecutionCommand({
        QueryString: sql,
        WorkGroup: this.settings.workGroup,
        QueryExecutionContext: { Database: this.settings.database },
        ...(parameters.length ? { ExecutionParameters: parameters } : {}),
      })),
    );
    const id = started.QueryExecutionId!;
    const deadline = Date.now() + this.settings.timeoutMs;
    for (let wait = this.settings.pollMs ?? 200; ; wait = Math.min(wait * 2, 2000)) {
      const { QueryExecution } = await this.dependency(() => this.athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id })));
      const status = QueryExecution?.Status;
      // The last state read names the answer's file: no second read for an export.
      if (status?.State === 'SUCCEEDED') return { id, outputLocation: QueryExecution?.ResultConfiguration?.OutputLocation ?? '' };
      if (status?.State === 'FAILED' || status?.State === 'CANCELLED') {
        const reason = status.StateChangeReason ?? status.AthenaError?.ErrorMessage ?? 'no reason given';
        // The workgroup's bytes-scanned cap cancels the query: the caller narrows it.
        if (/bytes scanned limit|exceeded/i.test(reason)) throw new QueryLimitError('this query would read more data than the territory allows in one query; narrow it with filters or select');
        throw new DependencyError(`the distributed query failed: ${reason}`);
      }
      if (Date.now() + wait > deadline) {
        await this.athena.send(new StopQueryExecutionCommand({ QueryExecutionId: id })).catch(() => undefined);
        throw new QueryLimitError(`this query takes longer than ${Math.round(this.settings.timeoutMs / 1000)} s; narrow it with filters or select`);
      }
      await sleep(wait);
    }
  }

  /** SDK failures as the domain's dependency error, the cause kept. */
  private async dependency<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw new DependencyError('the distributed query engine is unavailable', { cause: error });
    }
  }
}
