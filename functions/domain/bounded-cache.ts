/** A least-recently-used map of at most `max` entries, each kept at most `ttlMs` (forever when omitted). */
export class BoundedCache<K, V> {
  // A Map iterates in insertion order: re-inserting on every hit keeps the least recently used first.
  private readonly entries = new Map<K, { value: V; until: number }>();

  constructor(
    private readonly max: number,
    private readonly options: { ttlMs?: number; now?: () => number } = {},
  ) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`a bounded cache holds at least one entry, not ${max}`);
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.until <= this.now()) return undefined;
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { value, until: this.options.ttlMs === undefined ? Infinity : this.now() + this.options.ttlMs });
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as K);
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
