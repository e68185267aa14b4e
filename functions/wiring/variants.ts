import { S3ObjectWriter } from '../adapters/s3/object-writer.ts';
import { logger } from '../http/logger.ts';
import { VariantBuilder } from '../domain/licences/variant-builder.ts';
import { accessService, accessStore as access, licenceReader as licences } from './access.ts';
import { catalogueStore as catalogue } from './catalogue-store.ts';
import { clock } from './core.ts';
import { columnarCopier as columnar } from './query-engine.ts';
import { bucketName, objectStore as objects, s3Client } from './storage.ts';

/** Builds enforced variants in this process. */
export const variantBuilder = new VariantBuilder({
  access,
  accessService,
  licences,
  catalogue,
  objects,
  writer: new S3ObjectWriter(s3Client, bucketName),
  clock,
  columnar,
  onColumnarFailure: (variantKey, error) => logger.warn('the Parquet copy of a variant failed twice; its queries answer not_queryable', { variantKey, error: error as Error }),
});
