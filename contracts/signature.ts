import { createPublicKey, verify } from 'node:crypto';

/** A detached Ed25519 signature over a document digest, with what is needed to check it. */
export interface SignatureEnvelope {
  readonly alg: 'Ed25519';
  /** Identifies the key: a KMS key ARN, `local:<fingerprint>`, or a partner key id. */
  readonly kid: string;
  /** The raw 32-byte public key, base64url. */
  readonly publicKey: string;
  /** The 64-byte signature of the digest's 32 bytes, base64url. */
  readonly signature: string;
}

/** The Ed25519 public key object of a raw base64url key. */
export function ed25519PublicKey(rawBase64url: string) {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: rawBase64url }, format: 'jwk' });
}

/** The bytes of a base64url text, only when it is their one canonical spelling of the expected length. */
function canonicalBase64url(text: string, length: number): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64url');
  return bytes.length === length && bytes.toString('base64url') === text ? bytes : undefined;
}

/** True when the envelope is a valid Ed25519 signature of the hex SHA-256 digest's bytes. */
export function verifyEnvelope(digestHex: string, envelope: SignatureEnvelope): boolean {
  if (envelope.alg !== 'Ed25519' || !/^[0-9a-f]{64}$/.test(digestHex)) return false;
  // Node's decoder skips stray characters and spare bits: another text must not pass for the signed one.
  const signature = canonicalBase64url(envelope.signature, 64);
  if (!signature || !canonicalBase64url(envelope.publicKey, 32)) return false;
  try {
    return verify(null, Buffer.from(digestHex, 'hex'), ed25519PublicKey(envelope.publicKey), signature);
  } catch {
    return false;
  }
}
