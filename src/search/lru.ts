/**
 * A bounded map that forgets the least recently used entry first. The search revisits recent
 * assignments far more than old ones, so this keeps the hits while memory stays bounded.
 */
export class Lru<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(readonly capacity: number) {
    if (!(Number.isSafeInteger(capacity) && capacity >= 1))
      throw new RangeError(`an LRU capacity must be a positive integer, got ${capacity}`);
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    // Map iterates in insertion order: re-inserting makes it the most recent.
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }
}

/**
 * An Lru keyed by a hash of each key, the key itself kept (copied: callers reuse their arrays) and
 * compared on a lookup: for keys that are arrays the search looks up thousands of times, where a
 * string key would be built and hashed afresh for each. Two keys with one hash only cost a
 * recomputation: the later replaces the earlier.
 */
export class HashedLru<K, V> {
  private readonly entries: Lru<number, { readonly key: K; readonly value: V }>;

  /** @param same whether two keys are equal; @param copy a key's copy, to keep. */
  constructor(
    capacity: number,
    private readonly same: (a: K, b: K) => boolean,
    private readonly copy: (key: K) => K,
  ) {
    this.entries = new Lru(capacity);
  }

  /** The value cached for `key`, whose hash is `hash`. */
  get(hash: number, key: K): V | undefined {
    const entry = this.entries.get(hash);
    return entry !== undefined && this.same(entry.key, key) ? entry.value : undefined;
  }

  /** Caches `value` for `key` (its hash `hash`), replacing what that hash held. */
  set(hash: number, key: K, value: V): void {
    this.entries.set(hash, { key: this.copy(key), value });
  }
}
