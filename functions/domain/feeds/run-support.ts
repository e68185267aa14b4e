import type { CatalogueStore } from '../../ports/catalogue.ts';
import type { LicenceBatchReader } from '../../ports/feeds.ts';
import type { LicenceStore, StoredLicence } from '../../ports/licensing.ts';

/** Reads shared by the deliveries of one run: one licence, dataset and version read however many subscribers. */
export class RunLookups {
  private readonly memo = new Map<string, Promise<unknown>>();
  /** Enforced variants found built during the run. */
  readonly readyVariants = new Set<string>();
  constructor(private readonly deps: { readonly licences: LicenceStore; readonly licenceBatches?: LicenceBatchReader; readonly catalogue: CatalogueStore }) {}

  licence(id: string): Promise<StoredLicence | undefined> {
    return this.once(`l:${id}`, () => this.deps.licences.getLicence(id));
  }

  /** Reads the licences of a batch of deliveries not read yet in one round trip; `licence` then answers from memory. */
  async prefetchLicences(ids: readonly string[]): Promise<void> {
    const batches = this.deps.licenceBatches;
    const missing = [...new Set(ids)].filter((id) => !this.memo.has(`l:${id}`));
    if (!batches || missing.length < 2) return;
    const read = batches.getLicences(missing);
    for (const id of missing) this.once(`l:${id}`, async () => (await read).get(id)).catch(() => undefined);
    await read.catch(() => undefined);
  }

  /** What one key of the run computes once (an enforcement plan per licence, a variant found ready). */
  computed<T>(key: string, compute: () => Promise<T>): Promise<T> {
    return this.once(`c:${key}`, compute);
  }
  dataset(id: string) {
    return this.once(`d:${id}`, () => this.deps.catalogue.getDataset(id));
  }
  version(id: string, n: number) {
    return this.once(`v:${id}:${n}`, () => this.deps.catalogue.getVersion(id, n));
  }
  private once<T>(key: string, read: () => Promise<T>): Promise<T> {
    if (!this.memo.has(key)) {
      // A failed read is not kept: the next delivery of the run reads again.
      const p = read().catch((error: unknown) => {
        this.memo.delete(key);
        throw error;
      });
      this.memo.set(key, p);
    }
    return this.memo.get(key) as Promise<T>;
  }
}

/** Runs `work` over `items`, `limit` at a time, and collects the failures instead of stopping at the first. */
export async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<{ item: T; error: unknown }[]> {
  let next = 0;
  const failures: { item: T; error: unknown }[] = [];
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        failures.push({ item, error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return failures;
}

/**
 * Group commit: calls made while a write is in flight are gathered into the next one, so many lanes share
 * a round trip when busy and a lone call goes out at once. Each caller gets its own item's answer, or the
 * write's error, as if it had written alone.
 */
export class GroupCommit<T, R> {
  private queue: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  private flushing = 0;

  constructor(
    private readonly write: (items: T[]) => Promise<R[]>,
    private readonly maxItems: number,
    private readonly maxInFlight: number,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.flushing < this.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxItems);
      this.flushing += 1;
      this.write(batch.map((b) => b.item))
        .then(
          (answers) => batch.forEach((b, i) => b.resolve(answers[i]!)),
          (error: unknown) => batch.forEach((b) => b.reject(error)),
        )
        .finally(() => {
          this.flushing -= 1;
          this.pump();
        });
    }
  }
}
