import type { GraphIR } from '../graph/index.js';
import { type Assignment, type Objective, ON_CPU, ON_GPU } from './problem.js';

/**
 * Tenant-level placements that operator moves reach only slowly: a tenant's operators in one run
 * of topological order on the GPU and the rest on the CPU, the run's ends at the graph's narrowest
 * cuts (the fewest bytes live across them). On the OCR mix, refinement left PP-OCR rec with a
 * cut that loaded both pools more than another cut would; single-operator moves could not get
 * there without passing worse placements.
 */

export interface RangeSweepOptions {
  /** Cut positions per tenant besides its two ends: the narrowest, at least 3 operators apart. */
  readonly cuts: number;
  /** Passes over the tenants. */
  readonly rounds: number;
}

export interface RangeSweepResult {
  readonly assignment: Assignment;
  readonly score: number;
}

/**
 * Coordinate descent from `start`: each tenant in turn takes the best of its GPU runs between two
 * cuts (operators the tenant may not run on the GPU stay where they are) with the others fixed, by
 * `objective`, for `rounds` passes or until a pass changes nothing. Deterministic.
 */
export function rangeSweep(
  objective: Objective,
  graphs: readonly GraphIR[],
  start: Assignment,
  options: RangeSweepOptions,
): RangeSweepResult {
  let assignment = start.map((sides) => Uint8Array.from(sides));
  let score = objective.score(assignment);
  const cuts = graphs.map((graph) => narrowestCuts(graph, options.cuts));
  for (let round = 0; round < options.rounds; round++) {
    let improved = false;
    cuts.forEach((positions, tenant) => {
      const base = assignment[tenant] ?? new Uint8Array(0);
      const allowed = objective.gpuAllowed[tenant] ?? [];
      // The first pair is the empty run: the tenant wholly on the CPU.
      const runs: [number, number][] = [[0, 0]];
      for (let a = 0; a < positions.length; a++)
        for (let b = a + 1; b < positions.length; b++) runs.push([positions[a] ?? 0, positions[b] ?? 0]);
      for (const [from, to] of runs) {
        const sides = Uint8Array.from(base, (side, op) => {
          if (op >= from && op < to && allowed[op]) return ON_GPU;
          return side === ON_GPU ? ON_CPU : side;
        });
        const trial = assignment.map((other, k) => (k === tenant ? sides : other));
        const trialScore = objective.score(trial);
        if (trialScore > score) {
          score = trialScore;
          assignment = trial;
          improved = true;
        }
      }
    });
    if (!improved) break;
  }
  return { assignment, score };
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
