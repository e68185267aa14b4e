import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetPublicKeyCommand, SignCommand, type KMSClient } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { digestOf } from '../../contracts/digest.ts';
import { verifyEnvelope } from '../../contracts/signature.ts';
import { KmsSigner } from '../../functions/adapters/signing/kms-signer.ts';
import { LocalSigner } from '../../functions/adapters/signing/local-signer.ts';
import { DependencyError } from '../../functions/domain/errors.ts';

const digest = digestOf({ licence: 'lic_1', clauses: [{ kind: 'purpose', params: { allowed: ['research'] } }] });

describe('Ed25519 signatures', () => {
  it('signs a digest with a local key that survives restarts, verifiable from the envelope alone', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sig-')), 'signing-key.pem');
    const first = new LocalSigner(path);
    const envelope = await first.sign(digest);

    expect(envelope).toMatchObject({ alg: 'Ed25519', kid: expect.stringMatching(/^local:[0-9a-f]{16}$/) });
    expect(verifyEnvelope(digest, envelope)).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(await new LocalSigner(path).publicKey()).toEqual(await first.publicKey());
  });

  it.each([
    ['another digest', (e: Awaited<ReturnType<LocalSigner['sign']>>) => ({ digest: digestOf({ other: true }), envelope: e })],
    ['a flipped signature byte', (e: Awaited<ReturnType<LocalSigner['sign']>>) => {
      const sig = Buffer.from(e.signature, 'base64url');
      sig[0] = sig[0]! ^ 1;
      return { digest, envelope: { ...e, signature: sig.toString('base64url') } };
    }],
    ['another public key', (e: Awaited<ReturnType<LocalSigner['sign']>>) => ({ digest, envelope: { ...e, publicKey: String(generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x) } })],
    ['a malformed public key', (e: Awaited<ReturnType<LocalSigner['sign']>>) => ({ digest, envelope: { ...e, publicKey: 'AAAA' } })],
    ['a digest that is not hex SHA-256', (e: Awaited<ReturnType<LocalSigner['sign']>>) => ({ digest: 'xyz', envelope: e })],
  ])('shouldFailVerification_when %s', async (_name, tamper) => {
    const signer = new LocalSigner(join(mkdtempSync(join(tmpdir(), 'sig-')), 'k.pem'));
    const { digest: d, envelope } = tamper(await signer.sign(digest));
    expect(verifyEnvelope(d, envelope)).toBe(false);
  });

  // No KMS emulator exists: a stand-in answers Sign/GetPublicKey the way KMS does (DER SPKI, raw Ed25519).
  function kmsStandIn(fail?: Error) {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const calls: string[] = [];
    const client = {
      send: async (command: unknown) => {
        if (fail) throw fail;
        if (command instanceof SignCommand) {
          calls.push(`Sign ${command.input.SigningAlgorithm} ${command.input.MessageType}`);
          return { KeyId: 'arn:aws:kms:eu-west-3:1:key/k', Signature: sign(null, Buffer.from(command.input.Message!), privateKey) };
        }
        if (command instanceof GetPublicKeyCommand) {
          calls.push('GetPublicKey');
          return { PublicKey: publicKey.export({ format: 'der', type: 'spki' }) };
        }
        throw new Error('unexpected command');
      },
    } as unknown as KMSClient;
    return { client, calls };
  }

  it('signs through KMS with ED25519_SHA_512 over the raw digest, fetching the public key once', async () => {
    const { client, calls } = kmsStandIn();
    const signer = new KmsSigner(client, 'alias/comptoir-signing');
    const envelope = await signer.sign(digest);
    await signer.sign(digest);

    expect(verifyEnvelope(digest, envelope)).toBe(true);
    expect(envelope.kid).toBe('arn:aws:kms:eu-west-3:1:key/k');
    expect(calls.filter((c) => c === 'GetPublicKey')).toHaveLength(1);
    expect(calls).toContain('Sign ED25519_SHA_512 RAW');
  });

  it('wraps a KMS outage in a dependency error, keeping the cause', async () => {
    const outage = new Error('KMSInternalException');
    const signer = new KmsSigner(kmsStandIn(outage).client, 'k');
    await expect(signer.sign(digest)).rejects.toBeInstanceOf(DependencyError);
    await expect(signer.sign(digest)).rejects.toMatchObject({ cause: outage });
  });
});
