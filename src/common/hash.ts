/**
 * A 52-bit hash of small non-negative integers (bytes, indices), `salt`'s characters first: two
 * 32-bit FNV-1a lanes with different offsets, one mixed by a shift as it goes and cut to 20 bits.
 * Exact as a JavaScript number, so a Map key with no string built: for the search's caches, which
 * key thousands of placements and segments this way. Not collision-free: a cache compares what
 * it finds under a hash before it uses it.
 */
export function hashIntegers(values: ArrayLike<number>, salt = ''): number {
  let high = 0x811c9dc5;
  let low = 0x050c5d1f;
  for (let i = 0; i < salt.length; i++) {
    const code = salt.charCodeAt(i);
    high = Math.imul(high ^ code, 0x01000193);
    low = Math.imul(low ^ code, 0x01000193) ^ (low >>> 15);
  }
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number;
    high = Math.imul(high ^ value, 0x01000193);
    low = Math.imul(low ^ value, 0x01000193) ^ (low >>> 15);
  }
  return (high >>> 0) * 0x100000 + ((low >>> 0) & 0xfffff);
}

/** Whether two sequences hold the same items in the same order (===). */
export function sameItems<T>(a: ArrayLike<T>, b: ArrayLike<T>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
