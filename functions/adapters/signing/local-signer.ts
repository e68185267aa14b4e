import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { SignatureEnvelope } from '../../../contracts/signature.ts';
import type { Signer } from '../../ports/signer.ts';

/** Raw 32-byte Ed25519 public key, base64url, of a key object. */
export function rawPublicKey(key: KeyObject): string {
  const jwk = createPublicKey(key).export({ format: 'jwk' });
  return String(jwk.x);
}

/** An Ed25519 key kept in a PEM file of the local data folder, created on first use. */
export class LocalSigner implements Signer {
  private readonly key: KeyObject;
  private readonly kid: string;
  private readonly raw: string;

  constructor(pemPath: string) {
    if (!existsSync(pemPath)) {
      const { privateKey } = generateKeyPairSync('ed25519');
      writeFileSync(pemPath, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
    }
    this.key = createPrivateKey(readFileSync(pemPath));
    if (this.key.asymmetricKeyType !== 'ed25519') throw new Error(`${pemPath} does not hold an Ed25519 key`);
    this.raw = rawPublicKey(this.key);
    this.kid = `local:${createHash('sha256').update(this.raw).digest('hex').slice(0, 16)}`;
  }

  async sign(digestHex: string): Promise<SignatureEnvelope> {
    const signature = sign(null, Buffer.from(digestHex, 'hex'), this.key).toString('base64url');
    return { alg: 'Ed25519', kid: this.kid, publicKey: this.raw, signature };
  }

  async publicKey(): Promise<{ kid: string; publicKey: string }> {
    return { kid: this.kid, publicKey: this.raw };
  }
}
