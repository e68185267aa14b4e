import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { DependencyError } from '../../domain/errors.ts';
import { UploadIncompleteError } from '../../domain/catalogue/errors.ts';
import type { ObjectStore, PresignedRequest } from '../../ports/object-store.ts';

const isMissing = (error: unknown) => ['NotFound', 'NoSuchKey', 'NoSuchUpload'].includes((error as Error)?.name);

/** The datasets bucket through the AWS SDK; SDK errors become domain errors here. */
export class S3ObjectStore implements ObjectStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async presignPut(key: string, bytes: number, expiresIn: number): Promise<PresignedRequest> {
    const command = new PutObjectCommand({ Bucket: this.bucket, Key: key, ContentLength: bytes });
    return this.presign(command, expiresIn);
  }

  async presignGet(key: string, expiresIn: number, downloadName: string): Promise<PresignedRequest> {
    const command = new GetObjectCommand({ Bucket: this.bucket, Key: key, ResponseContentDisposition: `attachment; filename="${downloadName}"` });
    return this.presign(command, expiresIn);
  }

  async startMultipart(key: string): Promise<string> {
    const out = await this.call('CreateMultipartUpload', () => this.s3.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: key })));
    if (!out.UploadId) throw new DependencyError('S3 returned no upload id');
    return out.UploadId;
  }

  presignPart(key: string, uploadId: string, partNumber: number, expiresIn: number): Promise<PresignedRequest> {
    return this.presign(new UploadPartCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId, PartNumber: partNumber }), expiresIn);
  }

  async completeMultipart(key: string, uploadId: string, parts: readonly { partNumber: number; etag: string }[] | undefined): Promise<void> {
    const listed = parts ?? (await this.listParts(key, uploadId));
    if (listed.length === 0) throw new UploadIncompleteError('no part has been uploaded');
    const sorted = [...listed].sort((a, b) => a.partNumber - b.partNumber);
    try {
      await this.s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key: key,
          UploadId: uploadId,
          MultipartUpload: { Parts: sorted.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })) },
        }),
      );
    } catch (error) {
      const name = (error as Error).name;
      if (['InvalidPart', 'InvalidPartOrder', 'EntityTooSmall', 'NoSuchUpload'].includes(name)) {
        throw new UploadIncompleteError(`storage refused the parts (${name}): upload every part, then complete with their ETags`, { cause: error });
      }
      throw new DependencyError('S3 CompleteMultipartUpload failed', { cause: error });
    }
  }

  async abortMultipart(key: string, uploadId: string): Promise<void> {
    await this.call('AbortMultipartUpload', () => this.s3.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId }))).catch(
      (error: unknown) => {
        if (!isMissing((error as DependencyError).cause)) throw error;
      },
    );
  }

  async head(key: string): Promise<{ size: number; etag: string } | undefined> {
    try {
      const out = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { size: out.ContentLength ?? 0, etag: out.ETag ?? '' };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw new DependencyError('S3 HeadObject failed', { cause: error });
    }
  }

  async read(key: string): Promise<{ body: Readable; etag: string }> {
    const out = await this.call('GetObject', () => this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key })));
    return { body: out.Body as Readable, etag: out.ETag ?? '' };
  }

  async deleteAllVersions(key: string): Promise<void> {
    let versions: { VersionId?: string }[] = [];
    try {
      const out = await this.s3.send(new ListObjectVersionsCommand({ Bucket: this.bucket, Prefix: key }));
      versions = [...(out.Versions ?? []), ...(out.DeleteMarkers ?? [])].filter((v) => (v as { Key?: string }).Key === key);
    } catch {
      // Storage without versioning (the local emulator): a plain delete removes the only copy.
    }
    const ids = versions.map((v) => v.VersionId).filter((id): id is string => !!id && id !== 'null');
    if (ids.length === 0) {
      await this.call('DeleteObject', () => this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key })));
      return;
    }
    for (const VersionId of ids) {
      await this.call('DeleteObject', () => this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key, VersionId })));
    }
  }

  async deletePrefix(prefix: string): Promise<number> {
    const versioned = await this.deleteVersionsUnder(prefix);
    if (versioned !== undefined) return versioned;
    let deleted = 0;
    let token: string | undefined;
    do {
      const page = await this.call('ListObjectsV2', () =>
        this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) })),
      );
      const keys = (page.Contents ?? []).map((o) => ({ Key: o.Key! }));
      if (keys.length > 0) {
        await this.call('DeleteObjects', () => this.s3.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: keys } })));
        deleted += keys.length;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return deleted;
  }

  /** Deletes every object version under a prefix; undefined when the store keeps no versions (the emulator). */
  private async deleteVersionsUnder(prefix: string): Promise<number | undefined> {
    let deleted = 0;
    let keyMarker: string | undefined;
    let versionMarker: string | undefined;
    do {
      let page;
      try {
        page = await this.s3.send(
          new ListObjectVersionsCommand({ Bucket: this.bucket, Prefix: prefix, ...(keyMarker ? { KeyMarker: keyMarker } : {}), ...(versionMarker ? { VersionIdMarker: versionMarker } : {}) }),
        );
      } catch {
        return undefined;
      }
      const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]
        .filter((v) => v.Key && v.VersionId && v.VersionId !== 'null')
        .map((v) => ({ Key: v.Key!, VersionId: v.VersionId! }));
      if (objects.length === 0 && deleted === 0 && !page.IsTruncated) return undefined;
      for (let i = 0; i < objects.length; i += 1000) {
        await this.call('DeleteObjects', () => this.s3.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: objects.slice(i, i + 1000) } })));
      }
      deleted += objects.length;
      keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
    } while (keyMarker);
    return deleted;
  }

  private async listParts(key: string, uploadId: string): Promise<{ partNumber: number; etag: string }[]> {
    try {
      const out = await this.s3.send(new ListPartsCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId }));
      return (out.Parts ?? []).map((p) => ({ partNumber: p.PartNumber!, etag: p.ETag! }));
    } catch (error) {
      throw new UploadIncompleteError('storage cannot list the uploaded parts here: complete with {parts: [{partNumber, etag}]}', { cause: error });
    }
  }

  private async presign(command: PutObjectCommand | GetObjectCommand | UploadPartCommand, expiresIn: number): Promise<PresignedRequest> {
    // The presigner's generic signature does not accept concrete commands under strict variance.
    const sign = getSignedUrl as (client: S3Client, command: unknown, options: { expiresIn: number }) => Promise<string>;
    const url = await this.call('presign', () => sign(this.s3, command, { expiresIn }));
    return { url, expiresAt: new Date(this.now().getTime() + expiresIn * 1000).toISOString() };
  }

  private async call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof UploadIncompleteError || error instanceof DependencyError) throw error;
      throw new DependencyError(`S3 ${operation} failed`, { cause: error });
    }
  }
}
