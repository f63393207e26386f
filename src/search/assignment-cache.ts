import { HashedLru } from './lru.js';
import type { Assignment } from './problem.js';
import { sameSides } from './sides.js';

/**
 * A bounded map from whole assignments to what was computed for them (an objective's scores),
 * least recently used forgotten first, keyed by assignmentHash (sides.ts): an objective looks up
 * every assignment it is asked to score, and a string key (assignmentKey) would be built and
 * hashed afresh, a few thousand characters each time.
 */
export class AssignmentCache<V> extends HashedLru<Assignment, V> {
  constructor(capacity: number) {
    super(capacity, sameAssignment, copyAssignment);
  }
}

/** Whether two assignments are the same, tenant by tenant. */
function sameAssignment(a: Assignment, b: Assignment): boolean {
  if (a.length !== b.length) return false;
  for (let tenant = 0; tenant < a.length; tenant++)
    if (!sameSides(a[tenant] as Uint8Array, b[tenant] as Uint8Array)) return false;
  return true;
}

/** Each tenant's sides copied. Pushed, not mapped: see withTenant. */
function copyAssignment(assignment: Assignment): Assignment {
  const copy: Uint8Array[] = [];
  for (let tenant = 0; tenant < assignment.length; tenant++)
    copy.push((assignment[tenant] as Uint8Array).slice());
  return copy;
}
