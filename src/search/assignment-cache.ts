import { Lru } from './lru.js';
import type { Assignment } from './problem.js';
import { sameSides, sidesHash } from './sides.js';

const FNV_PRIME = 0x01000193;

/** A cached value and the assignment it belongs to (a copy: callers reuse their arrays). */
interface Entry<V> {
  readonly assignment: readonly Uint8Array[];
  readonly value: V;
}

/**
 * A bounded map from whole assignments to what was computed for them (an objective's scores),
 * least recently used forgotten first. Keyed by assignmentHash, and an entry keeps a copy of its
 * assignment that a lookup compares: an objective looks up every assignment it is asked to score,
 * and a string key (assignmentKey) would be built and hashed afresh, a few thousand characters
 * each time. Two assignments with one hash only cost a recomputation.
 */
export class AssignmentCache<V> {
  private readonly entries: Lru<number, Entry<V>>;

  constructor(capacity: number) {
    this.entries = new Lru(capacity);
  }

  /** The value cached for `assignment`, whose assignmentHash is `hash`. */
  get(hash: number, assignment: Assignment): V | undefined {
    const entry = this.entries.get(hash);
    return entry !== undefined && sameAssignment(entry.assignment, assignment) ? entry.value : undefined;
  }

  /** Caches `value` for `assignment` (assignmentHash `hash`), replacing what that hash held. */
  set(hash: number, assignment: Assignment, value: V): void {
    const copy: Uint8Array[] = [];
    for (let tenant = 0; tenant < assignment.length; tenant++)
      copy.push((assignment[tenant] as Uint8Array).slice());
    this.entries.set(hash, { assignment: copy, value });
  }
}

/**
 * A 52-bit hash of an assignment: each tenant's sidesHash, mixed in order with its length, so
 * that moving operators from one tenant's array to the next changes it.
 */
export function assignmentHash(assignment: Assignment): number {
  let high = 0x811c9dc5;
  let low = 0x050c5d1f;
  for (let tenant = 0; tenant < assignment.length; tenant++) {
    const sides = assignment[tenant] as Uint8Array;
    const tenantHash = sidesHash(sides);
    // Three words to mix: the 52 bits in two parts that each fit an int32, and the length.
    const lowWord = tenantHash % 0x4000000;
    const highWord = Math.floor(tenantHash / 0x4000000);
    high = fnv(fnv(fnv(high, lowWord), highWord), sides.length);
    low = fnvShifted(fnvShifted(fnvShifted(low, lowWord), highWord), sides.length);
  }
  return (high >>> 0) * 0x100000 + ((low >>> 0) & 0xfffff);
}

/** sidesHash's first lane, one word further. */
function fnv(lane: number, word: number): number {
  return Math.imul(lane ^ word, FNV_PRIME);
}

/** sidesHash's second lane, one word further. */
function fnvShifted(lane: number, word: number): number {
  return Math.imul(lane ^ word, FNV_PRIME) ^ (lane >>> 15);
}

/** Whether two assignments are the same, tenant by tenant. */
function sameAssignment(a: Assignment, b: Assignment): boolean {
  if (a.length !== b.length) return false;
  for (let tenant = 0; tenant < a.length; tenant++)
    if (!sameSides(a[tenant] as Uint8Array, b[tenant] as Uint8Array)) return false;
  return true;
}
