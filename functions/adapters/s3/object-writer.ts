import type { Readable } from 'node:stream';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { DependencyError } from '../../domain/errors.ts';
import type { ObjectWriter } from '../../ports/object-store.ts';

/** S3 accepts single PUTs up to 5 GiB; a streamed PUT needs no buffer and no part reassembly. */
const SINGLE_PUT_MAX = 5 * 1024 ** 3;
const PART_SIZE = 16 * 1024 * 1024;
/** Streams of unknown length buffer one part per upload slot: 2 × 8 MiB. */
const STREAM_PART_SIZE = 8 * 1024 * 1024;

/** Writes ingest's output: one streamed PUT when the size allows, a multipart upload beyond. */
export class S3ObjectWriter implements ObjectWriter {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async write(key: string, body: Readable, bytes: number): Promise<void> {
    try {
      if (bytes <= SINGLE_PUT_MAX) {
        await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentLength: bytes }));
        return;
      }
      await new Upload({ client: this.s3, params: { Bucket: this.bucket, Key: key, Body: body }, partSize: PART_SIZE, queueSize: 2 }).done();
    } catch (error) {
      throw new DependencyError('S3 write failed', { cause: error });
    }
  }

  async writeStream(key: string, body: Readable): Promise<void> {
    try {
      await new Upload({ client: this.s3, params: { Bucket: this.bucket, Key: key, Body: body }, partSize: STREAM_PART_SIZE, queueSize: 2 }).done();
    } catch (error) {
      throw new DependencyError('S3 write failed', { cause: error });
    }
  }
}
