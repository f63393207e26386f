import { Lru } from './lru.js';
import type { Assignment } from './problem.js';
import { sameSides } from './sides.js';

/** A cached value and the assignment it belongs to (a copy: callers reuse their arrays). */
interface Entry<V> {
  readonly assignment: readonly Uint8Array[];
  readonly value: V;
}

/**
 * A bounded map from whole assignments to what was computed for them (an objective's scores),
 * least recently used forgotten first. Keyed by assignmentHash (sides.ts), and an entry keeps a copy of its
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

/** Whether two assignments are the same, tenant by tenant. */
function sameAssignment(a: Assignment, b: Assignment): boolean {
  if (a.length !== b.length) return false;
  for (let tenant = 0; tenant < a.length; tenant++)
    if (!sameSides(a[tenant] as Uint8Array, b[tenant] as Uint8Array)) return false;
  return true;
}
