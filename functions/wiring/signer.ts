import { createSigner } from '../adapters/signing/factory.ts';
import { optionalEnv } from './env.ts';

const kmsKeyId = optionalEnv('SIGNING_KEY_ID');
const localKeyPath = optionalEnv('COMPTOIR_LOCAL_SIGNING_KEY');

/** The platform's signing key of this process (KMS in the cloud, the data folder's key locally). */
export const signer = createSigner({ ...(kmsKeyId ? { kmsKeyId } : {}), ...(localKeyPath ? { localKeyPath } : {}) });
