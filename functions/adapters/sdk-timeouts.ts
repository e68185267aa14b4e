/**
 * Timeouts and retries of every AWS SDK client, in one place.
 *
 * The budget: an HTTP function has 10 s (the CDK default), API Gateway gives up at 30 s, and the
 * authorizer has 8 s. A call that cannot reach its service must fail inside that, so the handler
 * answers 503 with `Retry-After` instead of hanging. Worst case of one DynamoDB call:
 * 3 attempts × 2 s + 2 backoffs ≤ 7 s; of one S3 call: 2 × 3 s + 1 backoff ≤ 7 s.
 * Retries use the SDK's standard mode: exponential backoff with full jitter, bounded by `maxAttempts`.
 * The request timeout is the socket's idle time, so streaming a large object is not cut short.
 */
export const SDK_TIMEOUTS = {
  /** Single-digit-millisecond service: 2 s of silence means it is down or paused. */
  dynamodb: { connectionTimeoutMs: 1_000, requestTimeoutMs: 2_000, maxAttempts: 3 },
  /** First bytes of S3 (and CompleteMultipartUpload) can take longer: fewer, longer attempts. */
  s3: { connectionTimeoutMs: 1_000, requestTimeoutMs: 3_000, maxAttempts: 2 },
  /** SQS, EventBridge, KMS. */
  other: { connectionTimeoutMs: 1_000, requestTimeoutMs: 2_000, maxAttempts: 3 },
} as const;

export type SdkService = keyof typeof SDK_TIMEOUTS;

/** The client options carrying the timeouts and retries of `service`; spread them into `new XClient({...})`. */
export function sdkClientConfig(service: SdkService) {
  const t = SDK_TIMEOUTS[service];
  return {
    // Without throwOnRequestTimeout the SDK only warns when the request timeout passes, and waits on.
    requestHandler: { connectionTimeout: t.connectionTimeoutMs, requestTimeout: t.requestTimeoutMs, throwOnRequestTimeout: true },
    maxAttempts: t.maxAttempts,
    retryMode: 'standard',
  } as const;
}

/** A readiness probe gives up after this long: a paused dependency reads as down at once, not after the retry budget. */
export const PROBE_TIMEOUT_MS = 1_500;
