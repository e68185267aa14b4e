const MIB = 1024 * 1024;

/** Above this size uploads go multipart. */
export const SINGLE_PUT_LIMIT = 64 * MIB;
/** Part URLs handed out per response, so no answer nears Lambda's 6 MB limit (~1 KB per URL). */
export const PART_URL_PAGE = 100;

/** Part size: at least 8 MiB and at least bytes/1000 (so at most 1000 parts), rounded up to a MiB. */
export function partSizeFor(bytes: number): number {
  const minimum = Math.max(8 * MIB, Math.ceil(bytes / 1000));
  return Math.ceil(minimum / MIB) * MIB;
}

export const partCountFor = (bytes: number, partSize: number) => Math.ceil(bytes / partSize);
