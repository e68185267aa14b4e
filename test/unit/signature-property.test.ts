import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifyEnvelope, type SignatureEnvelope } from '../../contracts/signature.ts';
import { LocalSigner } from '../../functions/adapters/signing/local-signer.ts';
import { secretOf, signWebhook, verifyWebhook } from '../../functions/domain/feeds/webhook-signature.ts';

// Every byte of a signature and of what it signs counts: a change anywhere, the last byte included, is refused.

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
/** One byte of `bytes` xor-ed with a non-zero mask. */
const flipped = (bytes: Uint8Array, at: number, mask: number) => {
  const copy = Buffer.from(bytes);
  copy[at] = copy[at]! ^ mask;
  return copy;
};
const maskArb = fc.integer({ min: 1, max: 255 });
const signer = new LocalSigner(join(mkdtempSync(join(tmpdir(), 'sig-prop-')), 'signing-key.pem'));
const digestArb = fc.uint8Array({ minLength: 32, maxLength: 32 }).map(hex);

describe('licence signature envelopes', () => {
  it('refuses the signature with any one byte flipped, at every position from the first to the last', async () => {
    await fc.assert(
      fc.asyncProperty(digestArb, fc.array(maskArb, { minLength: 64, maxLength: 64 }), async (digest, masks) => {
        const envelope = await signer.sign(digest);
        expect(verifyEnvelope(digest, envelope)).toBe(true);
        const bytes = Buffer.from(envelope.signature, 'base64url');
        expect(bytes).toHaveLength(64);
        for (let at = 0; at < bytes.length; at++) {
          expect(verifyEnvelope(digest, { ...envelope, signature: flipped(bytes, at, masks[at]!).toString('base64url') }), `byte ${at}`).toBe(false);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('refuses the signed digest with any one byte flipped, at every position', async () => {
    await fc.assert(
      fc.asyncProperty(digestArb, fc.array(maskArb, { minLength: 32, maxLength: 32 }), async (digest, masks) => {
        const envelope = await signer.sign(digest);
        const bytes = Buffer.from(digest, 'hex');
        for (let at = 0; at < bytes.length; at++) expect(verifyEnvelope(hex(flipped(bytes, at, masks[at]!)), envelope), `digest byte ${at}`).toBe(false);
        // The digest is compared as written: another spelling of the same bytes is not the signed text.
        expect(verifyEnvelope(digest.toUpperCase(), envelope)).toBe(digest === digest.toUpperCase());
      }),
      { numRuns: 30 },
    );
  });

  it('refuses any other text for the signature or the key: each character replaced, one added, one removed', async () => {
    const digest = hex(Buffer.alloc(32, 7));
    const envelope = await signer.sign(digest);
    // Other letters elsewhere change the bytes (the properties above); the last letter also carries spare bits.
    const variants = (text: string) =>
      [...text].flatMap((_char, at) => [
        ...['=', '+', '/', '!', ' ', '.'].map((c) => text.slice(0, at) + c + text.slice(at + 1)),
        text.slice(0, at) + text.slice(at + 1),
        text.slice(0, at) + '!' + text.slice(at),
      ]).concat([...BASE64URL].map((c) => text.slice(0, -1) + c).filter((t) => t !== text), [text + 'A', text + '=', text + '==']);
    const accepted = (field: 'signature' | 'publicKey') =>
      variants(envelope[field]).filter((text) => verifyEnvelope(digest, { ...envelope, [field]: text } as SignatureEnvelope));
    expect(accepted('signature')).toEqual([]);
    expect(accepted('publicKey')).toEqual([]);
  });
});

describe('webhook signatures', () => {
  const deliveryArb = fc.record({
    secret: fc.uint8Array({ minLength: 1, maxLength: 64 }).map(secretOf),
    id: fc.stringMatching(/^[\x21-\x7e]{1,60}$/),
    body: fc.string({ minLength: 1, maxLength: 200 }),
    at: fc.integer({ min: 1_700_000_000, max: 1_900_000_000 }),
  });
  const macOf = (headers: { 'webhook-signature': string }) => Buffer.from(headers['webhook-signature'].slice(3), 'base64');
  const withMac = (headers: object, mac: Uint8Array) => ({ ...headers, 'webhook-signature': `v1,${Buffer.from(mac).toString('base64')}` });

  it('refuses the MAC with any one byte flipped, at every position from the first to the last', () => {
    fc.assert(
      fc.property(deliveryArb, fc.array(maskArb, { minLength: 32, maxLength: 32 }), ({ secret, id, body, at }, masks) => {
        const headers = signWebhook(secret, { id, timestamp: at, body });
        expect(verifyWebhook(secret, body, headers, { nowSeconds: at })).toEqual({ ok: true, id, timestamp: at });
        const mac = macOf(headers);
        for (let i = 0; i < mac.length; i++) {
          expect(verifyWebhook(secret, body, withMac(headers, flipped(mac, i, masks[i]!)), { nowSeconds: at }), `MAC byte ${i}`).toEqual({ ok: false, reason: 'mismatch' });
        }
      }),
      { numRuns: 100 },
    );
  });

  it('refuses the body with any one byte flipped, at every position', () => {
    fc.assert(
      fc.property(deliveryArb, maskArb, ({ secret, id, body, at }, mask) => {
        const headers = signWebhook(secret, { id, timestamp: at, body });
        const raw = Buffer.from(body);
        for (let i = 0; i < raw.length; i++) expect(verifyWebhook(secret, flipped(raw, i, mask), headers, { nowSeconds: at }), `body byte ${i}`).toMatchObject({ ok: false });
      }),
      { numRuns: 100 },
    );
  });

  it('refuses a MAC cut short or lengthened, and a MAC from another secret', () => {
    fc.assert(
      fc.property(deliveryArb, fc.integer({ min: 1, max: 31 }), ({ secret, id, body, at }, keep) => {
        const headers = signWebhook(secret, { id, timestamp: at, body });
        const mac = macOf(headers);
        for (const forged of [mac.subarray(0, keep), Buffer.concat([mac, Buffer.of(0)]), Buffer.concat([mac, mac])]) expect(verifyWebhook(secret, body, withMac(headers, forged), { nowSeconds: at })).toMatchObject({ ok: false });
        const other = secretOf(flipped(Buffer.from(secret.slice(6), 'base64'), 0, 1));
        expect(verifyWebhook(other, body, headers, { nowSeconds: at })).toEqual({ ok: false, reason: 'mismatch' });
      }),
      { numRuns: 100 },
    );
  });
});
