import type { CostModel, CostPool } from '../cost/index.js';

/**
 * Per-operator prices read from a CostModel, for the models that need costs per operator (the
 * additive instance). The CostModel prices segments, not operators, so an operator is priced as a
 * segment of its own minus that segment's launch: its fused time when its fused group is itself
 * alone, its unfused time (times the split ratio) when it belongs to a larger group, plus the
 * per-operator cost. (The LP bound needs a floor instead: CostModel.opFloorMs.)
 */

/** A segment's fixed cost on a pool as the cost model prices it (the fitted launch where there is one), ms. */
export function segmentLaunchMs(cost: CostModel, pool: CostPool): number {
  return cost.segmentMs([], [], [], pool);
}

/** An operator alone in a segment, minus the segment's launch, ms. */
export function singletonOpMs(cost: CostModel, opIndex: number, pool: CostPool): number {
  return cost.segmentMs([opIndex], [], [], pool) - segmentLaunchMs(cost, pool);
}
