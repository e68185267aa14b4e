import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SignedCheckpoint } from '../../../contracts/audit-checkpoint.ts';
import { canonicalJson } from '../../../contracts/digest.ts';
import { AuditCheckpointSchema } from '../../../schemas/audit.ts';
import { CheckpointExistsError } from '../../domain/audit/errors.ts';
import { DependencyError } from '../../domain/errors.ts';
import type { CheckpointPage, CheckpointStore } from '../../ports/checkpoints.ts';

const PREFIX = 'checkpoints/';
const WIDTH = 12;
const TOP = 10 ** WIDTH - 1;
/** Keys count down from the top, so a listing (ascending keys) starts at the newest checkpoint. */
export const checkpointKey = (seq: number) => `${PREFIX}${String(TOP - seq).padStart(WIDTH, '0')}.json`;
const seqOfKey = (key: string): number | undefined => {
  const m = /^checkpoints\/(\d{12})\.json$/.exec(key);
  return m ? TOP - Number(m[1]) : undefined;
};
const READS_AT_ONCE = 16;
const isMissing = (error: unknown) => ['NotFound', 'NoSuchKey'].includes((error as Error)?.name);
/** S3's answers to a conditional write on a key that exists (412) or is being written (409). */
const isTaken = (error: unknown) => ['PreconditionFailed', 'ConditionalRequestConflict'].includes((error as Error)?.name) || [409, 412].includes((error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode ?? 0);

/**
 * Checkpoints as write-once objects: `If-None-Match: *` makes the storage refuse a key that exists (S3, and
 * the local storage's front); the bucket's Object Lock keeps every version for the retention.
 */
export class S3CheckpointStore implements CheckpointStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async put(checkpoint: SignedCheckpoint): Promise<void> {
    const Key = checkpointKey(checkpoint.seq);
    try {
      await this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key,
          Body: canonicalJson(checkpoint),
          ContentType: 'application/json',
          IfNoneMatch: '*',
          // Object Lock buckets refuse writes without an integrity checksum.
          ChecksumAlgorithm: 'SHA256',
        }),
      );
    } catch (error) {
      if (isTaken(error)) throw new CheckpointExistsError(checkpoint.seq, { cause: error });
      throw new DependencyError('S3 PutObject of a checkpoint failed', { cause: error });
    }
  }

  async get(seq: number): Promise<SignedCheckpoint | undefined> {
    let text: string;
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: checkpointKey(seq) }));
      text = await out.Body!.transformToString('utf8');
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw new DependencyError('S3 GetObject of a checkpoint failed', { cause: error });
    }
    let parsed;
    try {
      parsed = AuditCheckpointSchema.safeParse(JSON.parse(text));
    } catch (cause) {
      throw new DependencyError(`the checkpoint of seq ${seq} is not JSON`, { cause });
    }
    // A checkpoint copied under another seq's key would be a genuine signature of the wrong place.
    if (!parsed.success || parsed.data.seq !== seq) throw new DependencyError(`the object stored as the checkpoint of seq ${seq} is not one`);
    return parsed.data;
  }

  async latest(): Promise<SignedCheckpoint | undefined> {
    return (await this.list(1)).items[0];
  }

  async list(limit: number, belowSeq?: number): Promise<CheckpointPage> {
    const seqs = await this.seqsDown(belowSeq === undefined ? undefined : belowSeq - 1, 0, limit + 1);
    const items = await this.read(seqs.slice(0, limit));
    return seqs.length > limit ? { items, nextBelowSeq: items.at(-1)!.seq } : { items };
  }

  async between(afterSeq: number, upToSeq: number): Promise<SignedCheckpoint[]> {
    if (upToSeq <= afterSeq) return [];
    const seqs = await this.seqsDown(upToSeq, afterSeq, Number.POSITIVE_INFINITY);
    return (await this.read(seqs)).reverse();
  }

  /** Seqs of the stored checkpoints from `fromSeq` (the newest when absent) down to above `downTo`, at most `max`. */
  private async seqsDown(fromSeq: number | undefined, downTo: number, max: number): Promise<number[]> {
    const seqs: number[] = [];
    let token: string | undefined;
    do {
      const page = await this.call('ListObjectsV2', () =>
        this.s3.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: PREFIX,
            MaxKeys: Math.min(1000, max - seqs.length),
            ...(token ? { ContinuationToken: token } : fromSeq !== undefined ? { StartAfter: checkpointKey(fromSeq + 1) } : {}),
          }),
        ),
      );
      for (const o of page.Contents ?? []) {
        const seq = seqOfKey(o.Key ?? '');
        if (seq === undefined || seq < 1) continue;
        if (seq <= downTo || seqs.length >= max) return seqs;
        seqs.push(seq);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token && seqs.length < max);
    return seqs;
  }

  private async read(seqs: readonly number[]): Promise<SignedCheckpoint[]> {
    const out: SignedCheckpoint[] = [];
    for (let i = 0; i < seqs.length; i += READS_AT_ONCE) {
      const got = await Promise.all(seqs.slice(i, i + READS_AT_ONCE).map((s) => this.get(s)));
      out.push(...got.filter((c): c is SignedCheckpoint => c !== undefined));
    }
    return out;
  }

  private async call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw new DependencyError(`S3 ${operation} of checkpoints failed`, { cause: error });
    }
  }
}
