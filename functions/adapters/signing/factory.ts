import { KMSClient } from '@aws-sdk/client-kms';
import { sdkClientConfig } from '../sdk-timeouts.ts';
import type { Signer } from '../../ports/signer.ts';
import { KmsSigner } from './kms-signer.ts';
import { LocalSigner } from './local-signer.ts';

/** The platform signer: the KMS key in the cloud, a key file of the local data folder on a laptop. */
export function createSigner(config: { kmsKeyId?: string; localKeyPath?: string }): Signer {
  if (config.kmsKeyId) return new KmsSigner(new KMSClient(sdkClientConfig('other')), config.kmsKeyId);
  if (config.localKeyPath) return new LocalSigner(config.localKeyPath);
  throw new Error('no signing key: set SIGNING_KEY_ID (the CDK stack does) or COMPTOIR_LOCAL_SIGNING_KEY (npm start does)');
}
