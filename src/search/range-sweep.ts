import type { GraphIR } from '../graph/index.js';
import { type Assignment, type Objective, ON_CPU, ON_GPU, withTenant } from './problem.js';

/**
 * Tenant-level placements that operator moves reach only slowly: a tenant's operators in one run
 * of topological order on the GPU and the rest on the CPU. The run's ends are first tried at the
 * graph's narrowest cuts (the fewest bytes live across them), then moved by 1, 2, 4... operators
 * (a cut that balances the pools may cross a wide tensor). Single-operator moves reach a cut far
 * from where they start only through worse placements, so refinement can stop at a cut that
 * loads both pools more than another would.
 */

export interface RangeSweepOptions {
  /** Cut positions per tenant besides its two ends: the narrowest, at least 3 operators apart. */
  readonly cuts: number;
  /** Passes over the tenants. */
  readonly rounds: number;
  /** Whether each tenant's best run has its ends moved in its turn (shiftRunEnds). Default true. */
  readonly shiftEnds?: boolean;
}

export interface RangeSweepResult {
  readonly assignment: Assignment;
  readonly score: number;
}

/**
 * Coordinate descent from `start`: each tenant in turn takes the best of its GPU runs between two
 * cuts (operators the tenant may not run on the GPU stay where they are) with the others fixed, by
 * `objective`, then its ends moved while that scores better, for `rounds` passes or until a pass
 * changes nothing, or `expired` says the time is up. Deterministic but for that.
 */
export function rangeSweep(
  objective: Objective,
  graphs: readonly GraphIR[],
  start: Assignment,
  options: RangeSweepOptions,
  expired: () => boolean = () => false,
): RangeSweepResult {
  const state = sweepState(objective, start, expired);
  const cuts = graphs.map((graph) => narrowestCuts(graph, options.cuts));
  for (let round = 0; round < options.rounds; round++) {
    const before = state.score;
    cuts.forEach((positions, tenant) => {
      // The first pair is the empty run: the tenant wholly on the CPU.
      const runs: [number, number][] = [[0, 0]];
      for (let a = 0; a < positions.length; a++)
        for (let b = a + 1; b < positions.length; b++) runs.push([positions[a] ?? 0, positions[b] ?? 0]);
      const base = state.assignment[tenant] ?? new Uint8Array(0);
      for (const [from, to] of runs) tryRun(objective, state, tenant, base, from, to);
      if (options.shiftEnds ?? true) shiftEnds(objective, state, tenant);
    });
    if (!(state.score > before)) break;
  }
  return { assignment: state.assignment, score: state.score };
}

/**
 * One pass over the tenants whose GPU operators form one run: each moves its run's ends by 1, 2,
 * 4... operators while that scores better, the others fixed. Deterministic.
 */
export function shiftRunEnds(
  objective: Objective,
  start: Assignment,
  expired: () => boolean = () => false,
): RangeSweepResult {
  const state = sweepState(objective, start, expired);
  for (let tenant = 0; tenant < start.length; tenant++) shiftEnds(objective, state, tenant);
  return { assignment: state.assignment, score: state.score };
}

interface SweepState {
  assignment: Uint8Array[];
  score: number;
  /** A wall-clock cap (the search's deadline): once it says so, no more trials. */
  readonly expired: () => boolean;
}

/** A copy of `start` and its score, to improve in place. */
function sweepState(objective: Objective, start: Assignment, expired: () => boolean): SweepState {
  return { assignment: start.map((sides) => Uint8Array.from(sides)), score: objective.score(start), expired };
}

/**
 * Puts the tenant's GPU operators at [from, to) (those it may run there), the rest of its GPU ones
 * on the CPU and its CPU lanes as they were in `base`, where that scores better than `state`.
 */
function tryRun(
  objective: Objective,
  state: SweepState,
  tenant: number,
  base: Uint8Array,
  from: number,
  to: number,
): boolean {
  if (from < 0 || to > base.length || from > to || state.expired()) return false;
  const allowed = objective.gpuAllowed[tenant] ?? [];
  // An indexed loop: Uint8Array.from with a map function walks `base` by the iterator protocol,
  // an object per operator, and the sweep tries hundreds of runs.
  const sides = new Uint8Array(base.length);
  for (let op = 0; op < base.length; op++) {
    const side = base[op] as number;
    sides[op] = op >= from && op < to && allowed[op] ? ON_GPU : side === ON_GPU ? ON_CPU : side;
  }
  const trial = withTenant(state.assignment, tenant, sides);
  const score = objective.score(trial);
  if (!(score > state.score)) return false;
  state.assignment = trial;
  state.score = score;
  return true;
}

/** Moves the ends of the tenant's GPU run, where its GPU operators form one, while that scores better. */
function shiftEnds(objective: Objective, state: SweepState, tenant: number): void {
  const base = state.assignment[tenant] ?? new Uint8Array(0);
  const run = gpuRun(base, objective.gpuAllowed[tenant] ?? []);
  if (!run) return;
  let [from, to] = run;
  for (let moved = true; moved; ) {
    moved = false;
    for (let step = 1; step < base.length; step *= 2)
      for (const [f, t] of [
        [from - step, to],
        [from + step, to],
        [from, to - step],
        [from, to + step],
      ] as const)
        if (tryRun(objective, state, tenant, base, f, t)) {
          [from, to] = [f, t];
          moved = true;
        }
  }
}

/** [first, last + 1) of the GPU operators where every operator between them that may go there is on the GPU. */
function gpuRun(sides: Uint8Array, allowed: readonly boolean[]): [number, number] | undefined {
  const first = sides.indexOf(ON_GPU);
  if (first < 0) return undefined;
  const last = sides.lastIndexOf(ON_GPU);
  for (let op = first; op <= last; op++) if (allowed[op] && sides[op] !== ON_GPU) return undefined;
  return [first, last + 1];
}

/**
 * Positions in topological order (0 to the operator count; position k cuts between operators k − 1
 * and k): both ends, and the `count` inner ones with the fewest bytes of activations produced
 * before and read after, at least 3 apart (neighbouring cuts of a chain are all alike). Ascending.
 */
export function narrowestCuts(graph: GraphIR, count: number): number[] {
  const size = graph.ops.length;
  // Bytes live across each position: each tensor from just after its producer to its last reader.
  const change = new Float64Array(size + 1);
  for (const tensor of Object.values(graph.tensors)) {
    if (tensor.producer === null || tensor.kind === 'initializer' || tensor.consumers.length === 0) continue;
    const lastReader = Math.max(...tensor.consumers);
    if (lastReader <= tensor.producer) continue;
    change[tensor.producer + 1] = (change[tensor.producer + 1] ?? 0) + (tensor.bytes ?? 0);
    change[lastReader + 1] = (change[lastReader + 1] ?? 0) - (tensor.bytes ?? 0);
  }
  const live: { position: number; bytes: number }[] = [];
  let bytes = 0;
  for (let position = 0; position < size; position++) {
    bytes += change[position] ?? 0;
    if (position > 0) live.push({ position, bytes });
  }
  live.sort((a, b) => a.bytes - b.bytes || a.position - b.position);
  const picked: number[] = [];
  for (const { position } of live) {
    if (picked.length >= count) break;
    if (picked.every((other) => Math.abs(other - position) >= 3)) picked.push(position);
  }
  return [0, ...picked.sort((a, b) => a - b), size];
}
