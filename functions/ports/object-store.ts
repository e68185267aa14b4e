import type { Readable } from 'node:stream';

/** A presigned request the client sends straight to storage. */
export interface PresignedRequest {
  readonly url: string;
  readonly expiresAt: string;
}

/** Dataset bytes storage (S3 in the cloud, the S3 emulator locally); keys are always ours. */
export interface ObjectStore {
  presignPut(key: string, bytes: number, expiresInSeconds: number): Promise<PresignedRequest>;
  presignGet(key: string, expiresInSeconds: number, downloadName: string): Promise<PresignedRequest>;
  startMultipart(key: string): Promise<string>;
  presignPart(key: string, uploadId: string, partNumber: number, expiresInSeconds: number): Promise<PresignedRequest>;
  /** `UploadIncompleteError` when parts are missing or do not match. */
  completeMultipart(key: string, uploadId: string, parts: readonly { partNumber: number; etag: string }[] | undefined): Promise<void>;
  abortMultipart(key: string, uploadId: string): Promise<void>;
  /** Size and ETag of the object, or undefined when it does not exist. */
  head(key: string): Promise<{ size: number; etag: string } | undefined>;
  /** The object's bytes and the ETag of the very object being read. */
  read(key: string): Promise<{ body: Readable; etag: string }>;
  /** Removes every version of the object. */
  deleteAllVersions(key: string): Promise<void>;
  /** Removes every version of every object under a prefix. */
  deletePrefix(prefix: string): Promise<number>;
}

/** Streams bytes into storage; only ingest writes objects itself. */
export interface ObjectWriter {
  /** Stores exactly `bytes` bytes read from `body` under `key`; resolves once stored. */
  write(key: string, body: Readable, bytes: number): Promise<void>;
  /** Stores a stream of unknown length (multipart, bounded buffers). */
  writeStream(key: string, body: Readable): Promise<void>;
}
