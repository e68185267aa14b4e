import { S3ObjectWriter } from '../adapters/s3/object-writer.ts';
import { IngestService } from '../domain/catalogue/ingest-service.ts';
import { catalogueStore as store } from './catalogue-store.ts';
import { contractStore as contracts } from './contract-store.ts';
import { auditTrail as audit, clock, ids } from './core.ts';
import { bucketName, objectStore as objects, s3Client } from './storage.ts';

/** Ingest of this process: reads uploads, writes published bytes. */
export const ingestService = new IngestService({ store, objects, writer: new S3ObjectWriter(s3Client, bucketName), contracts, audit, clock, ids });
