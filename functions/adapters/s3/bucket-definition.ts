/** The datasets bucket's rules, read by the CDK stack and by the local runtime. */
export const DATASETS_BUCKET_DEFINITION = {
  /** Browsers upload parts straight to S3 and must read each part's ETag. */
  cors: {
    allowedMethods: ['GET', 'PUT', 'HEAD'] as const,
    exposedHeaders: ['ETag'],
    maxAgeSeconds: 3600,
  },
  lifecycle: {
    abortIncompleteMultipartUploadDays: 2,
    /** Uploads are read once by ingest and deleted; leftovers (a leaked URL used late) expire. */
    incomingPrefix: 'incoming/',
    incomingExpirationDays: 7,
    /** Enforced variants (transformed bytes) are rebuilt on demand, so they expire. */
    derivedPrefix: 'derived/',
    derivedExpirationDays: 30,
    noncurrentVersionExpirationDays: 90,
  },
} as const;
