import type { CostPool } from '../cost/index.js';
import type { GraphIR } from '../graph/index.js';
import { type BoundLp, difference, NONE, type Terms } from './lp-builder.js';
import type { SearchTenant } from './problem.js';

/**
 * What a tenant's segments on one pool cost the LP bound (lp-bound.ts), apart from the operators
 * and tensors they hold: how many there are at least, each with its launch and its worker's wait
 * on the main thread; and the least a request holds its dispatcher slot, along a longest path.
 */

const GPU: CostPool = 'gpu:0';
const CPU: CostPool = 'cpu';

/** One tenant on one pool, as lp-bound.ts prices it. */
export interface TenantSegmentsLp {
  readonly lp: BoundLp;
  readonly tenant: SearchTenant;
  /** The tenant's index, for column names. */
  readonly t: number;
  readonly pool: CostPool;
  /** An operator's share of the λ requests on this pool. */
  readonly shareOf: (index: number) => Terms;
  /** The operators of a longest path through the graph (longestPath). */
  readonly path: readonly number[];
  /** The least a path operator on this pool adds to a request's latency (ms). */
  readonly pathFloorMs: (index: number) => number;
  /** A segment's launch on this pool (ms). */
  readonly launchMs: number;
  /** The least a run holds the request's slot: its launch, or the whole model's run where less (ms). */
  readonly runFloorMs: number;
  /** The least the workers wait on the main thread after one segment run here (ms). */
  readonly waitFloorMs: number;
  /** Whether the tenant may use the other pool too: then the path's hand-offs count. */
  readonly bothPools: boolean;
}

/**
 * Charges the tenant's segments on the pool and returns their count per unit of λ: at least one
 * wherever it runs anything there, and one per run of this pool's operators along the longest
 * path (two of its operators with one of the other pool's between them cannot share a segment: the
 * segments would depend on each other both ways). The same runs bound the slot's hold.
 */
export function chargeSegments(inputs: TenantSegmentsLp): Terms {
  const { lp, tenant, t, pool, shareOf, path } = inputs;
  const { graph, cost, ratePerS } = tenant;
  const side = pool === CPU ? 'c' : 'g';
  const entering = path
    .slice(1)
    .map((index, k) =>
      lp.atLeastEach(`e_${side}_${t}_${k}`, [difference(shareOf(index), shareOf(path[k] ?? index))]),
    );
  const runs = [...(path[0] === undefined ? NONE : shareOf(path[0])), ...entering.flat()];
  // The dispatcher's slot is held for the whole request (Little: Σ rate · latency <= slots), and a
  // request takes at least the path: its operators, a dispatch and a launch per run, and each
  // hand-off between the path's operators where the pool changes (entering this one).
  for (const index of path) lp.charge('slots', ratePerS * inputs.pathFloorMs(index), shareOf(index));
  lp.charge('slots', ratePerS * (cost.dispatchMs(pool) + inputs.runFloorMs), runs);
  if (inputs.bothPools)
    entering.forEach((terms, k) => {
      const bytes = edgeBytes(graph, path[k] ?? -1, path[k + 1] ?? -1);
      lp.charge('slots', ratePerS * cost.boundaryMs(bytes, pool === CPU ? GPU : CPU, pool), terms);
    });
  // The runs already reach each path operator's share.
  const onPath = new Set(path);
  const segments = lp.atLeastEach(
    `u_${side}_${t}`,
    [...graph.ops.filter((op) => !onPath.has(op.index)).map((op) => shareOf(op.index)), runs],
    false,
  );
  lp.charge(pool, ratePerS * inputs.launchMs, segments);
  // After each run its worker waits on the main thread, holding a CPU slot.
  lp.charge(CPU, ratePerS * inputs.waitFloorMs, segments);
  return segments;
}

/** The operators (indices) of a path through the graph with the most operators; ops are in topological order. */
export function longestPath(graph: GraphIR): number[] {
  const length = new Int32Array(graph.ops.length);
  const previous = new Int32Array(graph.ops.length).fill(-1);
  for (const op of graph.ops) {
    length[op.index] = 1;
    for (const name of [...op.inputs, ...op.implicitInputs]) {
      const producer = graph.tensors[name]?.producer ?? null;
      if (producer !== null && (length[producer] ?? 0) + 1 > (length[op.index] ?? 0)) {
        length[op.index] = (length[producer] ?? 0) + 1;
        previous[op.index] = producer;
      }
    }
  }
  let end = -1;
  for (let index = 0; index < length.length; index++)
    if (end < 0 || (length[index] ?? 0) > (length[end] ?? 0)) end = index;
  const path: number[] = [];
  for (let index = end; index >= 0; index = previous[index] ?? -1) path.push(index);
  return path.reverse();
}

/** Bytes of the tensors one operator writes and another reads (one hand-off each, where they part). */
function edgeBytes(graph: GraphIR, from: number, to: number): number {
  const reader = graph.ops[to];
  let bytes = 0;
  for (const name of graph.ops[from]?.outputs ?? []) {
    if (reader && [...reader.inputs, ...reader.implicitInputs].includes(name))
      bytes += graph.tensors[name]?.bytes ?? 0;
  }
  return bytes;
}
