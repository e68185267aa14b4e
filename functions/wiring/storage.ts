import { createS3Client } from '../adapters/s3/client.ts';
import { S3ObjectStore } from '../adapters/s3/object-store.ts';
import { optionalEnv, requireEnv } from './env.ts';

const bucketName = requireEnv('BUCKET_NAME', 'the CDK stack (bindBucket) or `npm start`');
const endpoint = optionalEnv('COMPTOIR_S3_ENDPOINT');

/** The datasets bucket of this process. */
export const s3Client = createS3Client(endpoint ? { endpoint } : {});
export const objectStore = new S3ObjectStore(s3Client, bucketName);
export { bucketName };
