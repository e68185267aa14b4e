import type { SignatureEnvelope } from '../../contracts/signature.ts';

/** The platform's signing key (KMS Ed25519 in the cloud, a local Ed25519 key on a laptop). */
export interface Signer {
  /** Signs the 32 bytes of a hex SHA-256 digest. */
  sign(digestHex: string): Promise<SignatureEnvelope>;
  /** The key id and raw public key (base64url) anyone can verify with. */
  publicKey(): Promise<{ kid: string; publicKey: string }>;
}
