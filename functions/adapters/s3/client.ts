import { S3Client } from '@aws-sdk/client-s3';
import { sdkClientConfig } from '../sdk-timeouts.ts';

export interface S3ClientOptions {
  /** Set for the local S3 emulator; unset in the cloud. */
  readonly endpoint?: string;
}

/** The S3 client adapters receive; path-style and on-demand checksums so the emulator behaves like S3. */
export function createS3Client(options: S3ClientOptions = {}): S3Client {
  return new S3Client({
    ...sdkClientConfig('s3', { emulator: options.endpoint !== undefined }),
    ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
