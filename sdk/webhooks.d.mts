/** Receivers reject signatures older than this many seconds (replays). */
export declare const SIGNATURE_TOLERANCE_SECONDS: number;

/** `Comptoir-Signature` of a body: `t=<unix seconds>,v1=<hex HMAC-SHA-256 of "t.body">`. */
export declare function signWebhook(secret: string, body: string, unixSeconds: number): string;

export type WebhookVerification = { readonly ok: true; readonly timestamp: number } | { readonly ok: false; readonly reason: 'malformed' | 'expired' | 'mismatch' };

/** Verifies a `Comptoir-Signature` header against the raw body, rejecting signatures older than 5 minutes. */
export declare function verifyWebhook(
  secret: string,
  rawBody: string | Buffer,
  header: string | undefined,
  options?: { readonly nowSeconds?: number; readonly toleranceSeconds?: number },
): WebhookVerification;
