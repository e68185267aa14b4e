const MIB = 1024 * 1024;

/** Above this size uploads go multipart. */
export const SINGLE_PUT_LIMIT = 64 * MIB;
/** Part URLs handed out per response, so no answer nears Lambda's 6 MB limit (~1 KB per URL). */
export const PART_URL_PAGE = 100;

/** S3's bounds on a multipart upload: parts of 5 MiB (all but the last) to 5 GiB, at most 10,000 of them. */
export const S3_MULTIPART = { minPartBytes: 5 * MIB, maxPartBytes: 5 * 1024 * MIB, maxParts: 10_000 } as const;

/**
 * Part size: at least 8 MiB and at least bytes/1000 (so at most 1000 parts), rounded up to a MiB, but never
 * above S3's 5 GiB: beyond 5000 GiB the parts stay at 5 GiB and grow in number (1024 for 5 TiB).
 */
export function partSizeFor(bytes: number): number {
  const minimum = Math.max(8 * MIB, Math.ceil(bytes / 1000));
  return Math.min(Math.ceil(minimum / MIB) * MIB, S3_MULTIPART.maxPartBytes);
}

export const partCountFor = (bytes: number, partSize: number) => Math.ceil(bytes / partSize);
