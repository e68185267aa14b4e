/**
 * Timeouts and retries of every AWS SDK client, in one place.
 *
 * The budget: an HTTP function has 10 s (the CDK default), API Gateway gives up at 30 s, and the
 * authorizer has 8 s. A DynamoDB call that cannot reach the table must fail inside that, so the
 * handler answers 503 with `Retry-After` instead of hanging: 3 attempts × 2 s + 2 backoffs ≤ 7 s.
 * Retries use the SDK's standard mode: exponential backoff with full jitter, bounded by `maxAttempts`.
 * The request timeout is the socket's idle time, so streaming a large object is not cut short.
 */
export const SDK_TIMEOUTS = {
  /** Single-digit-millisecond service: 2 s of silence means it is down or paused. */
  dynamodb: { connectionTimeoutMs: 1_000, requestTimeoutMs: 2_000, maxAttempts: 3 },
  /**
   * S3 sits on no request path that waits on it (URLs are presigned), but streams do: a GET paused by
   * backpressure while a part uploads, or a CompleteMultipartUpload of many parts, are silent for seconds.
   */
  s3: { connectionTimeoutMs: 1_000, requestTimeoutMs: 30_000, maxAttempts: 3 },
  /** SQS, EventBridge, KMS. */
  other: { connectionTimeoutMs: 1_000, requestTimeoutMs: 2_000, maxAttempts: 3 },
} as const;

/**
 * The local emulators share two cores with the runtime and its tests: a busy moment there is not an
 * outage, so their silence is allowed 4 times as long by default (a DynamoDB call still fails within
 * about 25 s); `COMPTOIR_EMULATOR_TIMEOUT_SLACK=1` gives them the cloud's budget (the fault tests do).
 */
export const EMULATOR_SLACK = slackFrom(process.env.COMPTOIR_EMULATOR_TIMEOUT_SLACK);

function slackFrom(value: string | undefined): number {
  if (value === undefined || value === '') return 4;
  const slack = Number(value);
  if (!Number.isFinite(slack) || slack < 1 || slack > 20) throw new Error(`COMPTOIR_EMULATOR_TIMEOUT_SLACK must be a number from 1 to 20, not "${value}"`);
  return slack;
}

export type SdkService = keyof typeof SDK_TIMEOUTS;

/** The client options carrying the timeouts and retries of `service`; spread them into `new XClient({...})`. */
export function sdkClientConfig(service: SdkService, target: { emulator?: boolean } = {}) {
  const scale = target.emulator ? EMULATOR_SLACK : 1;
  const t = { ...SDK_TIMEOUTS[service], connectionTimeoutMs: SDK_TIMEOUTS[service].connectionTimeoutMs * scale, requestTimeoutMs: SDK_TIMEOUTS[service].requestTimeoutMs * scale };
  return {
    // Without throwOnRequestTimeout the SDK only warns when the request timeout passes, and waits on.
    requestHandler: { connectionTimeout: t.connectionTimeoutMs, requestTimeout: t.requestTimeoutMs, throwOnRequestTimeout: true },
    maxAttempts: t.maxAttempts,
    retryMode: 'standard',
  } as const;
}

/** A readiness probe gives up after this long: a paused dependency reads as down at once, not after the retry budget. */
export const PROBE_TIMEOUT_MS = 1_500;

/** The probe's wait for `target`: an emulator gets the same slack as its clients. */
export const probeTimeoutMs = (target: { emulator?: boolean } = {}) => PROBE_TIMEOUT_MS * (target.emulator ? EMULATOR_SLACK : 1);
