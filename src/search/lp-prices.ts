import type { CostModel, CostPool, SegmentOverheads, ThreadBudget } from '../cost/index.js';
import { type BoundLp, difference, NONE, type Terms } from './lp-builder.js';
import type { SearchTenant } from './problem.js';

/**
 * What an operator costs the LP bound (lp-bound.ts): its price on each pool, as the fused share of
 * an intact group or the split price of a cut one, and on the CPU its floor over the thread
 * budgets.
 */

const GPU: CostPool = 'gpu:0';
const CPU: CostPool = 'cpu';

/** A tenant's CPU prices at one thread count, and the CPU slots a segment holds at it. */
export interface CpuPricing {
  readonly cost: CostModel;
  readonly slots: number;
}

/** The tenant's CPU pricings: the pool's own threads on one slot, then each wider budget's. */
export function cpuPricings(cost: CostModel, budgets: readonly ThreadBudget[] = []): CpuPricing[] {
  return [
    { cost, slots: 1 },
    ...budgets.map((budget) => ({ cost: cost.withCpuThreads(budget.threads), slots: budget.slots })),
  ];
}

/**
 * The least an operator and a segment can cost on the CPU at any thread budget: per operator, its
 * CPU-pool time (slot-ms: a budget's price times its slots) and its latency; per segment, each
 * overhead's least.
 */
export interface CpuFloors {
  readonly poolMs: Float64Array;
  readonly pathMs: Float64Array;
  readonly overheads: SegmentOverheads;
}

export function cpuFloors(priced: readonly CpuPricing[]): CpuFloors | undefined {
  const first = priced[0];
  if (first === undefined || priced.length === 1) return undefined;
  const count = first.cost.graph.ops.length;
  const poolMs = new Float64Array(count);
  const pathMs = new Float64Array(count);
  for (let op = 0; op < count; op++) {
    const prices = priced.map((p) => p.cost.opFloorMs(op, CPU));
    poolMs[op] = Math.min(...prices.map((ms, k) => ms * (priced[k]?.slots ?? 1)));
    pathMs[op] = Math.min(...prices);
  }
  const all = priced.map((p) => p.cost.segmentOverheads(CPU));
  const least = (key: keyof SegmentOverheads): number => Math.min(...all.map((o) => o[key]));
  return {
    poolMs,
    pathMs,
    overheads: {
      launchMs: least('launchMs'),
      boundaryMsPerMiB: least('boundaryMsPerMiB'),
      outputMsPerMiB: least('outputMsPerMiB'),
      convEdgeMsPerMiB: least('convEdgeMsPerMiB'),
      perTensorMs: least('perTensorMs'),
    },
  };
}

/**
 * Where cutting an operator's fused group would make it cheaper (its split price below its fused
 * share): the difference per request, on the part of its share `share` where the group can be cut.
 */
export interface CutDiscount {
  readonly pool: CostPool;
  readonly ms: number;
  readonly share: Terms;
  readonly tag: string;
}

/**
 * A cut discount applies only where the tenant also runs on the other pool: with all its operators
 * on one pool (and no thread budgets, whose prices come from cpuFloors) a request is one segment,
 * which cuts no group. So the discounted part k of a share is at most that share and at most the
 * tenant's segments on the other pool (the `u` columns, which cost launches and workers' waits).
 */
export function chargeCutDiscounts(
  lp: BoundLp,
  discounts: readonly CutDiscount[],
  segmentsOn: ReadonlyMap<CostPool, Terms>,
): void {
  for (const discount of discounts) {
    const other = segmentsOn.get(discount.pool === CPU ? GPU : CPU) ?? NONE;
    if (other.length === 0) continue;
    const cut = lp.column(`k_${discount.tag}`);
    lp.row(`k_${discount.tag}_share`, [...discount.share, [-1, cut]]);
    lp.row(`k_${discount.tag}_other`, [...other, [-1, cut]]);
    lp.charge(discount.pool, -discount.ms, [[1, cut]]);
  }
}

/**
 * Each operator's price on a pool: its fused share while its whole fused group is there, its split
 * price for the part of its share some member of its group is not (z ≥ y_op − y_member). Where
 * splitting costs less, the fused share less a cut discount (CutDiscount, returned for
 * chargeCutDiscounts once every pool's segments exist); an operator alone in its group is never
 * cut. A cut group runs unfused (CostModel.segmentMs); a group split across two segments of one
 * pool is cut too, which the bound does not charge.
 */
export function chargeOperators(
  lp: BoundLp,
  tenant: SearchTenant,
  pool: CostPool,
  shareOf: (index: number) => Terms,
  tag: string,
): CutDiscount[] {
  const { cost, graph, ratePerS } = tenant;
  const members = new Map<number, number[]>();
  for (const op of graph.ops) {
    const { group } = cost.opPrices(op.index, pool);
    members.set(group, [...(members.get(group) ?? []), op.index]);
  }
  const discounts: CutDiscount[] = [];
  for (const op of graph.ops) {
    const { fusedMs, splitMs, group, groupSize } = cost.opPrices(op.index, pool);
    const share = shareOf(op.index);
    lp.charge(pool, ratePerS * fusedMs, share);
    if (groupSize <= 1) continue;
    if (splitMs <= fusedMs) {
      if (splitMs < fusedMs && share.length > 0)
        discounts.push({ pool, ms: ratePerS * (fusedMs - splitMs), share, tag: `${tag}_${op.index}` });
      continue;
    }
    const others = (members.get(group) ?? []).filter((index) => index !== op.index);
    const cut = lp.atLeastEach(
      `z_${tag}_${op.index}`,
      others.map((index) => difference(share, shareOf(index))),
    );
    lp.charge(pool, ratePerS * (splitMs - fusedMs), cut);
  }
  return discounts;
}
