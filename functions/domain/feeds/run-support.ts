import type { CatalogueStore } from '../../ports/catalogue.ts';
import type { LicenceStore } from '../../ports/licensing.ts';

/** Reads shared by the deliveries of one run: one licence, dataset and version read however many subscribers. */
export class RunLookups {
  private readonly memo = new Map<string, Promise<unknown>>();
  constructor(private readonly deps: { readonly licences: LicenceStore; readonly catalogue: CatalogueStore }) {}

  licence(id: string) {
    return this.once(`l:${id}`, () => this.deps.licences.getLicence(id));
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
