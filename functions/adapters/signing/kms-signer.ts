import { createPublicKey } from 'node:crypto';
import { GetPublicKeyCommand, SignCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { SignatureEnvelope } from '../../../contracts/signature.ts';
import { DependencyError } from '../../domain/errors.ts';
import type { Signer } from '../../ports/signer.ts';

/** Signs with the platform's KMS key (spec ECC_NIST_EDWARDS25519); the private key never leaves KMS. */
export class KmsSigner implements Signer {
  private cachedPublicKey: Promise<string> | undefined;

  constructor(
    private readonly kms: KMSClient,
    private readonly keyId: string,
  ) {}

  async sign(digestHex: string): Promise<SignatureEnvelope> {
    const [publicKey, out] = await Promise.all([
      this.raw(),
      this.call('Sign', () =>
        // RAW Ed25519 over the digest bytes: the same signature a local key produces, verifiable with any Ed25519 library.
        this.kms.send(new SignCommand({ KeyId: this.keyId, Message: Buffer.from(digestHex, 'hex'), MessageType: 'RAW', SigningAlgorithm: 'ED25519_SHA_512' })),
      ),
    ]);
    if (!out.Signature || !out.KeyId) throw new DependencyError('KMS returned no signature');
    return { alg: 'Ed25519', kid: out.KeyId, publicKey, signature: Buffer.from(out.Signature).toString('base64url') };
  }

  async publicKey(): Promise<{ kid: string; publicKey: string }> {
    return { kid: this.keyId, publicKey: await this.raw() };
  }

  private raw(): Promise<string> {
    this.cachedPublicKey ??= this.call('GetPublicKey', () => this.kms.send(new GetPublicKeyCommand({ KeyId: this.keyId }))).then((out) => {
      if (!out.PublicKey) throw new DependencyError('KMS returned no public key');
      // KMS answers DER SubjectPublicKeyInfo; the envelope carries the raw key.
      return String(createPublicKey({ key: Buffer.from(out.PublicKey), format: 'der', type: 'spki' }).export({ format: 'jwk' }).x);
    });
    this.cachedPublicKey.catch(() => (this.cachedPublicKey = undefined));
    return this.cachedPublicKey;
  }

  private async call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof DependencyError) throw error;
      throw new DependencyError(`KMS ${operation} failed`, { cause: error });
    }
  }
}
