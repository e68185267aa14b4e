import { Readable } from 'node:stream';
import { AlreadyExistsException, CreateTableCommand, type GlueClient } from '@aws-sdk/client-glue';
import { DependencyError } from '../../domain/errors.ts';
import { ROW_COLUMN } from '../../domain/query/sql.ts';
import type { ObjectWriter } from '../../ports/object-store.ts';
import type { ColumnarRegistry, ColumnSpec } from '../../ports/query-engine.ts';
import { SCHEMA_PARAMETER } from './athena-engine.ts';
import { athenaTableOf, glueTypeOf } from './athena-sql.ts';

/** Where the manifests naming each copy live: a table's location must be a folder, and a copy sits beside its source. */
export const MANIFEST_PREFIX = 'athena/manifests/';

/**
 * One Glue table per columnar copy, so Athena can query copies too large for one function. A copy sits beside its
 * source object, so the table reads it through a symlink manifest (a folder holding one line: the copy's URI).
 */
export class GlueColumnarRegistry implements ColumnarRegistry {
  constructor(
    private readonly glue: GlueClient,
    private readonly writer: ObjectWriter,
    private readonly bucket: string,
    private readonly database: string,
  ) {}

  async register(key: string, columns: readonly ColumnSpec[]): Promise<void> {
    const table = athenaTableOf(key);
    const folder = `${MANIFEST_PREFIX}${table}/`;
    await this.writer.writeStream(`${folder}manifest`, Readable.from([`s3://${this.bucket}/${key}\n`]));
    try {
      await this.glue.send(
        new CreateTableCommand({
          DatabaseName: this.database,
          TableInput: {
            Name: table,
            TableType: 'EXTERNAL_TABLE',
            Parameters: { classification: 'parquet', [SCHEMA_PARAMETER]: JSON.stringify(columns), 'comptoir.key': key },
            StorageDescriptor: {
              Location: `s3://${this.bucket}/${folder}`,
              InputFormat: 'org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat',
              OutputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
              SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
              Columns: [{ Name: ROW_COLUMN, Type: 'bigint' }, ...columns.map((c) => ({ Name: c.name, Type: glueTypeOf(c) }))],
            },
          },
        }),
      );
    } catch (error) {
      // Copies are immutable and the name derives from the key: a table already there is this one (a retried copy).
      if (error instanceof AlreadyExistsException) return;
      throw new DependencyError('the query catalogue refused the copy', { cause: error });
    }
  }
}
