import type { Assignment } from './problem.js';

/** The lanes' offsets (the first FNV-1a's own) and FNV's 32-bit prime. */
const FNV_OFFSET = 0x811c9dc5;
const SECOND_OFFSET = 0x050c5d1f;
const FNV_PRIME = 0x01000193;

/**
 * A 52-bit hash of a tenant's sides (two 32-bit FNV-1a lanes with different offsets, one mixed by
 * a shift as it goes and cut to 20 bits): exact as a JavaScript number, so a Map key with no
 * string built. Not collision-free: a cache compares the sides it finds under a hash (sameSides).
 */
export function sidesHash(sides: Uint8Array): number {
  let high = FNV_OFFSET;
  let low = SECOND_OFFSET;
  // The lanes' steps written out (fnv, fnvShifted): this loop runs for every operator of every
  // lookup, from its first call, before V8 has inlined anything.
  for (let i = 0; i < sides.length; i++) {
    const side = sides[i] as number;
    high = Math.imul(high ^ side, FNV_PRIME);
    low = Math.imul(low ^ side, FNV_PRIME) ^ (low >>> 15);
  }
  return joined(high, low);
}

/**
 * A 52-bit hash of a whole assignment (its tenants' sides in order), in the same two lanes: each
 * tenant's sidesHash, in two words that each fit an int32, then its length, so that moving an
 * operator from one tenant's array to the next changes it. Not collision-free (AssignmentCache).
 */
export function assignmentHash(assignment: Assignment): number {
  let high = FNV_OFFSET;
  let low = SECOND_OFFSET;
  for (let tenant = 0; tenant < assignment.length; tenant++) {
    const sides = assignment[tenant] as Uint8Array;
    const tenantHash = sidesHash(sides);
    const lowWord = tenantHash % 0x4000000;
    const highWord = Math.floor(tenantHash / 0x4000000);
    high = fnv(fnv(fnv(high, lowWord), highWord), sides.length);
    low = fnvShifted(fnvShifted(fnvShifted(low, lowWord), highWord), sides.length);
  }
  return joined(high, low);
}

/** The first lane, one word further: 32-bit FNV-1a. */
function fnv(lane: number, word: number): number {
  return Math.imul(lane ^ word, FNV_PRIME);
}

/** The second lane, one word further: FNV-1a with the lane's high bits shifted in. */
function fnvShifted(lane: number, word: number): number {
  return Math.imul(lane ^ word, FNV_PRIME) ^ (lane >>> 15);
}

/** The first lane's 32 bits above the second's low 20: exact as a JavaScript number. */
function joined(high: number, low: number): number {
  return (high >>> 0) * 0x100000 + ((low >>> 0) & 0xfffff);
}

/** Whether two tenants' sides are the same, operator by operator. */
export function sameSides(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let op = 0; op < a.length; op++) if (a[op] !== b[op]) return false;
  return true;
}
