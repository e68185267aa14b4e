import type { AddressInfo } from 'node:net';
import S3rver from 's3rver';
import { startVerifyingStorage, type StorageCredentials } from './verifying-storage.ts';

/** The one key pair local storage accepts; the local runtime's clients sign with it. */
export const LOCAL_STORAGE_CREDENTIALS: StorageCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface RunningS3 {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts the s3rver emulator in this process on 127.0.0.1, storing objects under `directory`, behind a front
 * that checks signatures as S3 does: the endpoint returned is the front's, the emulator itself is unexposed.
 */
export async function startS3Emulator(options: { directory: string; port?: number }): Promise<RunningS3> {
  if (!process.execArgv.includes('--openssl-legacy-provider') && !process.env.NODE_OPTIONS?.includes('--openssl-legacy-provider')) {
    // s3rver's pagination tokens use a cipher that OpenSSL 3 only offers through the legacy provider.
    throw new Error('the S3 emulator needs Node started with --openssl-legacy-provider (npm start and npm test set it)');
  }
  // s3rver lets a read error of a missing multipart part escape as an uncaught exception; keep the process alive.
  process.on('uncaughtException', survivePartReadErrors);
  const server = new S3rver({ address: '127.0.0.1', port: 0, directory: options.directory, silent: true, vhostBuckets: false });
  const address = (await server.run()) as AddressInfo;
  const front = await startVerifyingStorage(`http://127.0.0.1:${address.port}`, LOCAL_STORAGE_CREDENTIALS, options.port ?? 0);
  return {
    endpoint: front.endpoint,
    stop: async () => {
      process.removeListener('uncaughtException', survivePartReadErrors);
      await new Promise<void>((resolve) => {
        front.server.close(() => resolve());
        front.server.closeAllConnections();
      });
      await server.close();
    },
  };
}

function survivePartReadErrors(error: Error & { code?: string; path?: string }): void {
  if (error.code === 'ENOENT' && String(error.path).includes('._S3rver_uploads')) {
    console.error(`S3 emulator: a multipart part is missing (${error.path}); the upload stays incomplete`);
    return;
  }
  // Anything else is a real crash: let it end the process as Node would.
  process.removeListener('uncaughtException', survivePartReadErrors);
  throw error;
}
