/**
 * A 52-bit hash of a tenant's sides (two 32-bit FNV-1a lanes with different offsets, one mixed by
 * a shift as it goes and cut to 20 bits): exact as a JavaScript number, so a Map key with no
 * string built. Not collision-free: a cache compares the sides it finds under a hash (sameSides).
 */
export function sidesHash(sides: Uint8Array): number {
  let high = 0x811c9dc5;
  let low = 0x050c5d1f;
  for (let i = 0; i < sides.length; i++) {
    const side = sides[i] as number;
    high = Math.imul(high ^ side, 0x01000193);
    low = Math.imul(low ^ side, 0x01000193) ^ (low >>> 15);
  }
  return (high >>> 0) * 0x100000 + ((low >>> 0) & 0xfffff);
}

/** Whether two tenants' sides are the same, operator by operator. */
export function sameSides(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let op = 0; op < a.length; op++) if (a[op] !== b[op]) return false;
  return true;
}
