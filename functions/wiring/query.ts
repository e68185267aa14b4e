import { QueryExports } from '../domain/query/exports.ts';
import { QueryService } from '../domain/query/query-service.ts';
import { QueryTables } from '../domain/query/tables.ts';
import { S3ObjectWriter } from '../adapters/s3/object-writer.ts';
import { accessService as access } from './access.ts';
import { catalogueStore as catalogue } from './catalogue-store.ts';
import { queryEngine as engine } from './query-engine.ts';
import { bucketName, objectStore as objects, s3Client } from './storage.ts';

const tables = new QueryTables({ catalogue, access });
/** Records queries of this process. */
export const queryService = new QueryService({ tables, engine });
/** Exports of whole answers, kept under exports/ and handed out as short-lived URLs. */
export const queryExports = new QueryExports({ tables, engine, objects, writer: new S3ObjectWriter(s3Client, bucketName) });
