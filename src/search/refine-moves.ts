import type { Rng } from '../common/index.js';
import type { Adjacency } from '../graph/index.js';
import { budgetSide, ON_CPU, ON_GPU } from './problem.js';

/**
 * The operator-level moves of phase-2 refinement, on one tenant's sides. A move returns the new
 * sides, or null where it would change nothing (e.g. only pinned operators would go to the GPU).
 */

/** Operators with a neighbour on the other side, ascending. */
export function boundaryOps(adjacency: Adjacency, sides: Uint8Array): number[] {
  const found: number[] = [];
  for (let op = 0; op < sides.length; op++) {
    const end = adjacency.start[op + 1] ?? 0;
    for (let k = adjacency.start[op] ?? 0; k < end; k++) {
      if (sides[adjacency.neighbours[k] ?? op] !== sides[op]) {
        found.push(op);
        break;
      }
    }
  }
  return found;
}

/**
 * Connected groups of same-side operators (what segmentation starts from; it may cut one further
 * to stay acyclic). Each group's operators ascending, so in topological order; groups ordered by
 * their first operator.
 */
export function sameSideGroups(adjacency: Adjacency, sides: Uint8Array): number[][] {
  const parent = Int32Array.from({ length: sides.length }, (_, op) => op);
  const root = (op: number): number => {
    let at = op;
    while (parent[at] !== at) {
      const up = parent[parent[at] ?? at] ?? at;
      parent[at] = up;
      at = up;
    }
    return at;
  };
  for (let op = 0; op < sides.length; op++) {
    const end = adjacency.start[op + 1] ?? 0;
    for (let k = adjacency.start[op] ?? 0; k < end; k++) {
      const other = adjacency.neighbours[k] ?? op;
      if (sides[other] !== sides[op]) continue;
      const a = root(op);
      const b = root(other);
      if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
    }
  }
  const byRoot = new Map<number, number[]>();
  for (let op = 0; op < sides.length; op++) {
    const r = root(op);
    const group = byRoot.get(r);
    if (group) group.push(op);
    else byRoot.set(r, [op]);
  }
  return [...byRoot.values()];
}

/** Moves `ops` to the other side of where the first of them is; pinned operators stay on the CPU. */
export function flipOps(
  sides: Uint8Array,
  ops: readonly number[],
  gpuAllowed: readonly boolean[],
): Uint8Array | null {
  const first = ops[0];
  if (first === undefined) return null;
  const target = sides[first] === ON_GPU ? ON_CPU : ON_GPU;
  const moved = sides.slice();
  let changed = false;
  for (const op of ops) {
    if (moved[op] === target || (target === ON_GPU && !gpuAllowed[op])) continue;
    moved[op] = target;
    changed = true;
  }
  return changed ? moved : null;
}

/** Sets `ops` to another CPU side (a thread budget); null where they all have it already. */
export function rethreadOps(sides: Uint8Array, ops: readonly number[], side: number): Uint8Array | null {
  const moved = sides.slice();
  let changed = false;
  for (const op of ops) {
    if (moved[op] === side) continue;
    moved[op] = side;
    changed = true;
  }
  return changed ? moved : null;
}

/** The CPU sides (ON_CPU and the budgets') other than `side`, ascending. */
function otherCpuSides(side: number, cpuSides: number): number[] {
  const all = [ON_CPU, ...Array.from({ length: cpuSides - 1 }, (_, j) => budgetSide(j))];
  return all.filter((other) => other !== side);
}

export type MoveKind = 'flip-boundary' | 'move-group' | 'split-group' | 'flip-run' | 'rethread';
/** The moves between the CPU and the GPU; 'rethread' (between thread budgets) joins them where the machine has budgets. */
export const MOVE_KINDS: readonly MoveKind[] = ['flip-boundary', 'move-group', 'split-group', 'flip-run'];
export const BUDGET_MOVE_KINDS: readonly MoveKind[] = [...MOVE_KINDS, 'rethread'];

/** Longest interior run a flip-run move takes: islands of a few operators are what it looks for. */
export const MAX_RUN = 8;

/**
 * One random move of a kind, or null when the tenant offers none of that kind. 'rethread' gives a
 * CPU group, or a run at either end of it, another of the `cpuSides` CPU sides.
 */
export function randomMove(
  kind: MoveKind,
  rng: Rng,
  adjacency: Adjacency,
  sides: Uint8Array,
  gpuAllowed: readonly boolean[],
  cpuSides = 1,
): Uint8Array | null {
  if (kind === 'rethread') {
    if (cpuSides < 2) return null;
    const groups = sameSideGroups(adjacency, sides).filter((group) => sides[group[0] ?? 0] !== ON_GPU);
    if (groups.length === 0) return null;
    const group = rng.pick(groups);
    const side = rng.pick(otherCpuSides(sides[group[0] ?? 0] ?? ON_CPU, cpuSides));
    if (group.length < 2 || rng.bool()) return rethreadOps(sides, group, side);
    const length = rng.int(1, group.length - 1);
    return rethreadOps(sides, rng.bool() ? group.slice(0, length) : group.slice(group.length - length), side);
  }
  if (kind === 'flip-boundary') {
    const boundary = boundaryOps(adjacency, sides);
    return boundary.length === 0 ? null : flipOps(sides, [rng.pick(boundary)], gpuAllowed);
  }
  const groups = sameSideGroups(adjacency, sides);
  const group = rng.pick(groups);
  // Moving the only group of an all-one-side tenant is the model-level move: allowed too.
  if (kind === 'move-group') return flipOps(sides, group, gpuAllowed);
  if (kind === 'flip-run') {
    // A run inside the group: an island of the other side (e.g. a heavy stretch of a CPU chain
    // that pays for its two switches on the GPU), which no single flip at a boundary reaches.
    const start = rng.int(0, group.length - 1);
    const length = rng.int(1, Math.min(MAX_RUN, group.length - start));
    return flipOps(sides, group.slice(start, start + length), gpuAllowed);
  }
  if (group.length < 2) return null;
  // A run at either end of the group; short runs are likelier, as small steps help more near an optimum.
  const length = 1 + Math.min(rng.int(0, group.length - 2), rng.int(0, group.length - 2));
  const run = rng.bool() ? group.slice(0, length) : group.slice(group.length - length);
  return flipOps(sides, run, gpuAllowed);
}

/**
 * The neighbourhood a local optimum is checked against, in a fixed order: every flip of a boundary
 * operator, every move of a whole group, every other thread budget for a whole CPU group (with
 * `cpuSides` > 1), then every run of up to `maxRun` consecutive operators of a group flipped
 * (islands), shortest first.
 */
export function* systematicMoves(
  adjacency: Adjacency,
  sides: Uint8Array,
  gpuAllowed: readonly boolean[],
  maxRun = MAX_RUN,
  cpuSides = 1,
): Generator<Uint8Array> {
  for (const op of boundaryOps(adjacency, sides)) {
    const moved = flipOps(sides, [op], gpuAllowed);
    if (moved) yield moved;
  }
  const groups = sameSideGroups(adjacency, sides);
  for (const group of groups) {
    const moved = flipOps(sides, group, gpuAllowed);
    if (moved) yield moved;
  }
  for (const group of cpuSides > 1 ? groups : []) {
    const side = sides[group[0] ?? 0] ?? ON_CPU;
    if (side === ON_GPU) continue;
    for (const other of otherCpuSides(side, cpuSides)) {
      const moved = rethreadOps(sides, group, other);
      if (moved) yield moved;
    }
  }
  for (let length = 1; length <= maxRun; length++) {
    for (const group of groups) {
      // Runs touching the group's ends are boundary flips or splits, covered above or by random moves.
      for (let start = 1; start + length < group.length; start++) {
        const moved = flipOps(sides, group.slice(start, start + length), gpuAllowed);
        if (moved) yield moved;
      }
    }
  }
}
