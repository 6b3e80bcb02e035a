// A small LRU map for estimator results. Bounded by entry count: one result holds a few hundred
// layer rows and curve points (tens to hundreds of KiB), so 32 entries stay well under 10 MiB while
// covering a workspace's handful of models × the settings a user flips between.

export class LruCache<V> {
  private readonly entries = new Map<string, V>();
  hits = 0;
  misses = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`LRU capacity must be a positive integer, got ${capacity}`);
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    const v = this.entries.get(key);
    if (v === undefined) {
      this.misses++;
      return undefined;
    }
    // Map keeps insertion order: re-inserting moves the entry to the "most recent" end.
    this.entries.delete(key);
    this.entries.set(key, v);
    this.hits++;
    return v;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  /** The value without counting a hit or a miss, and without making it the most recent. */
  peek(key: string): V | undefined {
    return this.entries.get(key);
  }

  delete(key: string): boolean {
    return this.entries.delete(key);
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }

  clear(): void {
    this.entries.clear();
  }
}
