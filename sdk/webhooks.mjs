// Comptoir webhook signatures, dependency-free for receivers on Node.js 18+ (copy this file or import `comptoir/webhooks`).
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Receivers reject signatures older than this many seconds (replays). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** `Comptoir-Signature` of a body: `t=<unix seconds>,v1=<hex HMAC-SHA-256 of "t.body">`. */
export function signWebhook(secret, body, unixSeconds) {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/**
 * Verifies a `Comptoir-Signature` header against the raw body as received (not re-serialised JSON),
 * rejecting signatures more than 5 minutes away from now. Any `v1` entry may match.
 */
export function verifyWebhook(secret, rawBody, header, options = {}) {
  if (!header) return { ok: false, reason: 'malformed' };
  const parts = String(header).split(',').map((p) => p.trim().split('='));
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  const candidates = parts.filter(([k, v]) => k === 'v1' && /^[0-9a-f]{64}$/.test(v ?? '')).map(([, v]) => Buffer.from(v, 'hex'));
  if (!Number.isInteger(t) || candidates.length === 0) return { ok: false, reason: 'malformed' };
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - t) > (options.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS)) return { ok: false, reason: 'expired' };
  const expected = createHmac('sha256', secret).update(`${t}.`).update(rawBody).digest();
  return candidates.some((c) => timingSafeEqual(c, expected)) ? { ok: true, timestamp: t } : { ok: false, reason: 'mismatch' };
}
