import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_OBJECT_BYTES } from '../../schemas/dataset.ts';
import { S3_MULTIPART, SINGLE_PUT_LIMIT, partCountFor, partSizeFor } from '../../functions/domain/catalogue/upload-plan.ts';

/** Every size a multipart upload may declare, with the edges (just above one PUT, 5 TiB and the ~4.9 TiB turn) always tried. */
const multipartSizes = fc.oneof(
  fc.integer({ min: SINGLE_PUT_LIMIT + 1, max: MAX_OBJECT_BYTES }),
  fc.constantFrom(SINGLE_PUT_LIMIT + 1, MAX_OBJECT_BYTES, MAX_OBJECT_BYTES - 1, 1000 * S3_MULTIPART.maxPartBytes, 1000 * S3_MULTIPART.maxPartBytes + 1),
);

describe('multipart upload plan', () => {
  it('shouldStayWithinS3Limits_forEverySizeUpTo5TiB: parts of 5 MiB to 5 GiB, at most 10,000, covering the object exactly', () => {
    fc.assert(
      fc.property(multipartSizes, (bytes) => {
        // Act
        const size = partSizeFor(bytes);
        const count = partCountFor(bytes, size);
        // Assert
        expect(size).toBeLessThanOrEqual(S3_MULTIPART.maxPartBytes);
        expect(size).toBeGreaterThanOrEqual(S3_MULTIPART.minPartBytes);
        expect(count).toBeLessThanOrEqual(S3_MULTIPART.maxParts);
        // Every part but the last is full; the last holds at least one byte and at most a full part.
        const last = bytes - (count - 1) * size;
        expect(last).toBeGreaterThan(0);
        expect(last).toBeLessThanOrEqual(size);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps at most 1000 parts while they fit under 5 GiB, and 5 GiB parts for 5 TiB', () => {
    expect(partCountFor(4 * 1024 ** 4, partSizeFor(4 * 1024 ** 4))).toBeLessThanOrEqual(1000);
    expect(partSizeFor(MAX_OBJECT_BYTES)).toBe(S3_MULTIPART.maxPartBytes);
    expect(partCountFor(MAX_OBJECT_BYTES, partSizeFor(MAX_OBJECT_BYTES))).toBe(1024);
  });
});
