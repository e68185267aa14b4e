import { EXPORT_PREFIX } from '../../domain/query/exports.ts';

/** The datasets bucket's rules, read by the CDK stack and by the local runtime. */
export const DATASETS_BUCKET_DEFINITION = {
  /** The one CORS rule: browsers PUT uploads (reading each part's ETag) and GET downloads through presigned URLs. */
  cors: {
    allowedMethods: ['PUT', 'GET', 'HEAD'] as const,
    // Any origin: the presigned URL's signature, not the caller's origin, is what authorises each request.
    allowedOrigins: ['*'],
    // The presign may sign content-type and checksum headers the browser must then send.
    allowedHeaders: ['*'],
    exposedHeaders: ['ETag'],
    maxAgeSeconds: 3000,
  },
  lifecycle: {
    abortIncompleteMultipartUploadDays: 2,
    /** Uploads are read once by ingest and deleted; leftovers (a leaked URL used late) expire. */
    incomingPrefix: 'incoming/',
    incomingExpirationDays: 7,
    /** Enforced variants (transformed bytes) are rebuilt on demand, so they expire. */
    derivedPrefix: 'derived/',
    derivedExpirationDays: 30,
    /** Exports of query answers are made again on demand, so they last a day. */
    exportsPrefix: EXPORT_PREFIX,
    exportsExpirationDays: 1,
    /** Athena's answers are read once by the query that asked (or copied into an export), so they last a day. */
    athenaResultsPrefix: 'athena/results/',
    athenaResultsExpirationDays: 1,
    noncurrentVersionExpirationDays: 90,
  },
} as const;
