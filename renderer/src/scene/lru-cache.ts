/**
 * A least-recently-used cache with a cap in bytes, for the terrain's tile
 * levels: get() marks an entry used, trim() drops the least recently used
 * entries until the cache fits its cap, sparing those in use (the levels on
 * show), and hands each dropped value to `release` (which frees its GPU
 * buffers).
 */
export class LruCache<K, V> {
  /** Insertion order is use order: a used entry is moved to the end. */
  private readonly entries = new Map<K, V>();
  private size = 0;

  constructor(
    readonly capBytes: number,
    private readonly bytesOf: (value: V) => number,
    private readonly release: (value: V) => void,
  ) {}

  get bytes(): number {
    return this.size;
  }

  get count(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  /** Whether a key is cached, without marking it used. */
  has(key: K): boolean {
    return this.entries.has(key);
  }

  set(key: K, value: V): void {
    const old = this.entries.get(key);
    if (old !== undefined) {
      this.entries.delete(key);
      this.size -= this.bytesOf(old);
      if (old !== value) this.release(old);
    }
    this.entries.set(key, value);
    this.size += this.bytesOf(value);
  }

  /** Drops least recently used entries not in use until the cache fits its cap (entries in use may keep it over). */
  trim(inUse: (value: V) => boolean): void {
    if (this.size <= this.capBytes) return;
    for (const [key, value] of this.entries) {
      if (this.size <= this.capBytes) break;
      if (inUse(value)) continue;
      this.entries.delete(key);
      this.size -= this.bytesOf(value);
      this.release(value);
    }
  }

  /** Drops everything. */
  clear(): void {
    for (const value of this.entries.values()) this.release(value);
    this.entries.clear();
    this.size = 0;
  }
}
