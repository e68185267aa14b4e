/** Receivers reject a timestamp more than this many seconds away from their clock (replays). */
export declare const SIGNATURE_TOLERANCE_SECONDS: number;

/** The HMAC key of a `whsec_<base64>` secret: the bytes the part after the prefix encodes. */
export declare function webhookKey(secret: string): Buffer;

/** The Standard Webhooks headers of a message. */
export type WebhookHeaders = {
  readonly 'webhook-id': string;
  /** Unix seconds. */
  readonly 'webhook-timestamp': string;
  /** `v1,<base64 HMAC-SHA-256 of "id.timestamp.body">` per secret, space-separated. */
  readonly 'webhook-signature': string;
};

/** The headers of a message signed with one secret, or with several (one signature each). */
export declare function signWebhook(
  secrets: string | readonly string[],
  message: { readonly id: string; readonly timestamp: number; readonly body: string | Uint8Array },
): WebhookHeaders;

export type WebhookVerification = { readonly ok: true; readonly id: string; readonly timestamp: number } | { readonly ok: false; readonly reason: 'malformed' | 'expired' | 'mismatch' };

/** Headers as Node's `req.headers`, a Fetch `Headers` or a plain object (names in any case). */
export type IncomingWebhookHeaders = { get(name: string): string | null } | Readonly<Record<string, string | readonly string[] | undefined>>;

/** Verifies a message's headers against its raw body, rejecting timestamps more than 5 minutes from now. */
export declare function verifyWebhook(
  secret: string,
  rawBody: string | Uint8Array,
  headers: IncomingWebhookHeaders,
  options?: { readonly nowSeconds?: number; readonly toleranceSeconds?: number },
): WebhookVerification;
