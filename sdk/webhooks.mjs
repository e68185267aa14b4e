// Standard Webhooks signatures (https://www.standardwebhooks.com/), dependency-free for Node.js 18+ (copy this file or import `comptoir/webhooks`).
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Receivers reject a timestamp more than this many seconds away from their clock (replays). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

const PREFIX = 'whsec_';
// Standard base64 (padding optional), or base64url: the form of the secrets issued before Standard Webhooks.
const SECRET_TEXT = /^(?:[A-Za-z0-9+/]+={0,2}|[A-Za-z0-9_-]+)$/;
// An HMAC-SHA-256 in standard base64: 32 bytes, 43 characters and one `=`.
const SIGNATURE_TEXT = /^[A-Za-z0-9+/]{43}=$/;

/** The HMAC key of a `whsec_<base64>` secret: the bytes the part after the prefix encodes. */
export function webhookKey(secret) {
  const text = String(secret).startsWith(PREFIX) ? String(secret).slice(PREFIX.length) : String(secret);
  const bare = text.replace(/=+$/, '');
  if (!SECRET_TEXT.test(text) || bare.length % 4 === 1 || (bare !== text && text.length % 4 !== 0)) throw new TypeError('a webhook secret is whsec_ followed by base64');
  return Buffer.from(text, 'base64');
}

const mac = (key, id, timestamp, body) => createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest();

/**
 * The headers of a message: `webhook-id`, `webhook-timestamp` (unix seconds) and `webhook-signature`,
 * `v1,<base64 HMAC-SHA-256 of "id.timestamp.body">` per secret, space-separated.
 */
export function signWebhook(secrets, { id, timestamp, body }) {
  if (!id || /\s/.test(id) || !Number.isSafeInteger(timestamp) || timestamp < 0) throw new TypeError('a webhook message needs an id without spaces and a timestamp in unix seconds');
  const signatures = [secrets].flat().map((secret) => `v1,${mac(webhookKey(secret), id, timestamp, body).toString('base64')}`);
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signatures.join(' ') };
}

/** One header of a Fetch `Headers`, Node's `req.headers` or a plain object, whatever the case of its name. */
function header(headers, name) {
  const value = typeof headers.get === 'function' ? headers.get(name) : headers[Object.keys(headers).find((k) => k.toLowerCase() === name) ?? name];
  return Array.isArray(value) ? value.join(' ') : (value ?? undefined);
}

/**
 * Verifies a message's headers against its raw body as received (not re-serialised JSON): any `v1`
 * signature may match, and the timestamp must be within 5 minutes of now.
 */
export function verifyWebhook(secret, rawBody, headers, options = {}) {
  // The former API took the one `Comptoir-Signature` header: fail loudly rather than answer `malformed` forever.
  if (!headers || typeof headers !== 'object') throw new TypeError('pass all the request headers (webhook-id, webhook-timestamp, webhook-signature)');
  const key = webhookKey(secret);
  const id = header(headers, 'webhook-id');
  const stamp = header(headers, 'webhook-timestamp');
  const signed = header(headers, 'webhook-signature');
  if (!id || !/^\d{1,15}$/.test(stamp ?? '') || !signed) return { ok: false, reason: 'malformed' };
  const candidates = String(signed)
    .split(' ')
    .filter((s) => s.startsWith('v1,') && SIGNATURE_TEXT.test(s.slice(3)))
    .map((s) => Buffer.from(s.slice(3), 'base64'));
  if (candidates.length === 0) return { ok: false, reason: 'malformed' };
  const timestamp = Number(stamp);
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS)) return { ok: false, reason: 'expired' };
  const expected = mac(key, id, timestamp, rawBody);
  // Every candidate is compared, in constant time, so the time taken says nothing about which one matched.
  let matched = false;
  for (const candidate of candidates) matched = timingSafeEqual(candidate, expected) || matched;
  return matched ? { ok: true, id, timestamp } : { ok: false, reason: 'mismatch' };
}
