import type { GraphIR } from '../graph/index.js';
import type { PoolCosts } from './pool-costs.js';

/**
 * What an upper bound on throughput may charge, from one pool's costs (CostModel delegates): an
 * operator's prices in any segment, and the longest any segment of the model can run. Pure.
 */

const MiB = 1 << 20;

/** What one operator costs a segment on one pool (CostModel.opPrices). */
export interface OpPrices {
  /** In a segment smaller than the whole model, with its fused group whole there. */
  readonly fusedMs: number;
  /** Its part of the whole model's measured run, one segment of every operator (<= fusedMs). */
  readonly wholeModelMs: number;
  /** With its fused group cut. */
  readonly splitMs: number;
  /** Operator index of the fused group's head (its own index when it is alone). */
  readonly group: number;
  /** Operators in its fused group; at 1 the group is never cut, and only fusedMs applies. */
  readonly groupSize: number;
}

/**
 * An operator's prices on a pool: its fused share at the fitted intact ratio, its share of the whole
 * run at `wholeRatio` (the whole run's fused ratio where lower), and its split price with the
 * per-operator term.
 */
export function opPricesOf(costs: PoolCosts, wholeRatio: number, opIndex: number): OpPrices {
  const { solo, fused, groupOf, groupSize, coefficients } = costs;
  const group = groupOf[opIndex] ?? opIndex;
  const fusedMs = coefficients.intactRatio * (fused[opIndex] ?? 0);
  return {
    fusedMs,
    wholeModelMs: Math.min(fusedMs, wholeRatio * (fused[opIndex] ?? 0)),
    splitMs: coefficients.splitRatio * (solo[opIndex] ?? 0) + coefficients.perOpMs,
    group,
    groupSize: groupSize[group] ?? 1,
  };
}

/**
 * No segment of the model runs longer than this on the pool (ms): the segment model with every
 * feature at its largest — all fused time intact, all solo time cut, every operator cut, every
 * tensor but the weights at its boundary, written and touched by a convolution — and never less
 * than the whole model's measured run. Coefficients are never negative, so no subset costs more.
 */
export function segmentMsCeilingOf(graph: GraphIR, costs: PoolCosts, launchMs: number): number {
  const { coefficients, solo, fused, wholeMs } = costs;
  let fusedMs = 0;
  let soloMs = 0;
  for (let index = 0; index < graph.ops.length; index++) {
    fusedMs += fused[index] ?? 0;
    soloMs += solo[index] ?? 0;
  }
  let miB = 0;
  let tensors = 0;
  for (const tensor of Object.values(graph.tensors)) {
    if (tensor.kind === 'initializer') continue;
    miB += (tensor.bytes ?? 0) / MiB;
    tensors++;
  }
  const ceilingMs =
    launchMs +
    coefficients.intactRatio * fusedMs +
    coefficients.splitRatio * soloMs +
    coefficients.perOpMs * graph.ops.length +
    (coefficients.boundaryMsPerMiB + coefficients.outputMsPerMiB + coefficients.convEdgeMsPerMiB) * miB +
    coefficients.perTensorMs * tensors;
  return Math.max(ceilingMs, wholeMs ?? 0);
}
