import type { CostModel, CostPool, SegmentOverheads, ThreadBudget } from '../cost/index.js';
import { ALL, type BoundLp, combined, difference, NONE, type Terms } from './lp-builder.js';

/**
 * What an operator costs the LP bound (lp-bound.ts): on each pool its fused share while its fused
 * group is whole in a segment, its split price where the group is cut, and its part of the whole
 * model's run where the tenant runs as one segment; on the CPU, floors over the thread budgets.
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

/** A tenant's operators' prices on one pool, per request (on the CPU under budgets, slot-ms). */
export interface PoolPrices {
  /** Each operator's fused share while its whole group is in one segment smaller than the model. */
  readonly fusedMs: Float64Array;
  /** Each operator's price while its group is cut. */
  readonly splitMs: Float64Array;
  /** The operator heading each one's fused group (its own index when alone). */
  readonly groupOf: Int32Array;
  /** The whole model run as one segment (CostModel.segmentMs of every operator): launch and edges too. */
  readonly wholeRunMs: number;
  /** That run's time at each thread count priced (one, but on the CPU under budgets): its latency, not slot-ms. */
  readonly wholeRunLatenciesMs: readonly number[];
}

/** A pool's prices at the cost model's own threads (CostModel.opPrices). */
export function poolPrices(cost: CostModel, pool: CostPool, slots = 1): PoolPrices {
  const count = cost.graph.ops.length;
  const fusedMs = new Float64Array(count);
  const splitMs = new Float64Array(count);
  const groupOf = new Int32Array(count);
  for (let op = 0; op < count; op++) {
    const price = cost.opPrices(op, pool);
    fusedMs[op] = slots * price.fusedMs;
    splitMs[op] = slots * (price.groupSize > 1 ? price.splitMs : price.fusedMs);
    groupOf[op] = price.group;
  }
  const { graph } = cost;
  const latencyMs = cost.segmentMs(Array.from(groupOf.keys()), graph.inputs, graph.outputs, pool);
  return { fusedMs, splitMs, groupOf, wholeRunMs: slots * latencyMs, wholeRunLatenciesMs: [latencyMs] };
}

/**
 * The least an operator and a segment can cost on the CPU at any thread budget: per operator, its
 * CPU-pool prices (slot-ms: a budget's price times its slots) and its latency; per segment, each
 * overhead's least.
 */
export interface CpuFloors {
  readonly prices: PoolPrices;
  readonly pathMs: Float64Array;
  readonly overheads: SegmentOverheads;
}

export function cpuFloors(priced: readonly CpuPricing[]): CpuFloors | undefined {
  const first = priced[0];
  if (first === undefined || priced.length === 1) return undefined;
  const each = priced.map((p) => poolPrices(p.cost, CPU, p.slots));
  const count = first.cost.graph.ops.length;
  // Each operator takes its least price over the budgets. Its group's members stay all fused or
  // all split (chargeOperators) only where every budget groups the operators alike; where they
  // differ, no group is trusted and each operator is charged the least of its two prices.
  const sameGroups = each.every((prices) =>
    prices.groupOf.every((head, op) => head === each[0]?.groupOf[op]),
  );
  const least = (price: (prices: PoolPrices) => number): number => Math.min(...each.map(price));
  const fusedMs = new Float64Array(count);
  const splitMs = new Float64Array(count);
  const pathMs = new Float64Array(count);
  for (let op = 0; op < count; op++) {
    fusedMs[op] = least((prices) => prices.fusedMs[op] ?? 0);
    splitMs[op] = least((prices) => prices.splitMs[op] ?? 0);
    if (!sameGroups) fusedMs[op] = splitMs[op] = Math.min(fusedMs[op] ?? 0, splitMs[op] ?? 0);
    pathMs[op] = Math.min(...priced.map((p) => p.cost.opFloorMs(op, CPU)));
  }
  const groupOf = sameGroups
    ? (each[0]?.groupOf ?? new Int32Array(count))
    : Int32Array.from(fusedMs, (_, op) => op);
  const all = priced.map((p) => p.cost.segmentOverheads(CPU));
  const leastOverhead = (key: keyof SegmentOverheads): number => Math.min(...all.map((o) => o[key]));
  return {
    prices: {
      fusedMs,
      splitMs,
      groupOf,
      wholeRunMs: least((prices) => prices.wholeRunMs),
      wholeRunLatenciesMs: each.flatMap((prices) => prices.wholeRunLatenciesMs),
    },
    pathMs,
    overheads: {
      launchMs: leastOverhead('launchMs'),
      boundaryMsPerMiB: leastOverhead('boundaryMsPerMiB'),
      outputMsPerMiB: leastOverhead('outputMsPerMiB'),
      convEdgeMsPerMiB: leastOverhead('convEdgeMsPerMiB'),
      perTensorMs: leastOverhead('perTensorMs'),
    },
  };
}

/** What chargeOperators leaves to settle once the tenant's segments on every pool exist. */
export interface OperatorCharges {
  readonly pool: CostPool;
  /** The cut parts (columns) that a cheaper split price rewards: cuts take two segments at least. */
  readonly rewardedCuts: Terms[];
  /** Per unit of λ, the operators' fused charges, summed. */
  readonly fusedMs: number;
}

/**
 * Charges each operator of a pool its fused share, and per fused group, on the part c of the λ
 * requests in which the group is cut (a column, 0 <= c <= λ): each member its split price instead
 * on the part of its share that c covers. Where that is dearer, the member pays at least
 * share + c − λ more; c is at least the difference between any member's share and the head's, for
 * a group split between pools is cut. Where it is cheaper, it saves at most min(share, c), and c
 * is bounded by the tenant's segments (gateCuts). One c per group keeps a group's members all
 * fused or all split, as CostModel.segmentMs prices them.
 */
export function chargeOperators(
  lp: BoundLp,
  ratePerS: number,
  pool: CostPool,
  prices: PoolPrices,
  shareOf: (index: number) => Terms,
  tag: string,
): OperatorCharges {
  const { fusedMs, splitMs, groupOf } = prices;
  const members = new Map<number, number[]>();
  let fusedTotalMs = 0;
  groupOf.forEach((head, op) => {
    members.set(head, [...(members.get(head) ?? []), op]);
    fusedTotalMs += fusedMs[op] ?? 0;
    lp.charge(pool, ratePerS * (fusedMs[op] ?? 0), shareOf(op));
  });
  const rewardedCuts: Terms[] = [];
  for (const [head, ops] of members) {
    const dearer = ops.filter((op) => (splitMs[op] ?? 0) > (fusedMs[op] ?? 0));
    const cheaper = ops.filter((op) => (splitMs[op] ?? 0) < (fusedMs[op] ?? 0));
    if (ops.length < 2 || dearer.length + cheaper.length === 0) continue;
    const name = `c_${tag}_${head}`;
    const cut: Terms = [[1, lp.column(name)]];
    lp.row(`${name}_l`, combined([ALL, 1], [cut, -1]));
    if (dearer.length > 0)
      for (const op of ops) {
        const apart = difference(shareOf(op), shareOf(head));
        if (apart.length === 0) continue;
        lp.row(`${name}_a${op}`, combined([cut, 1], [apart, -1]));
        lp.row(`${name}_b${op}`, combined([cut, 1], [apart, 1]));
      }
    for (const op of dearer) {
      const cutShare = lp.atLeastEach(`${name}_w${op}`, [combined([shareOf(op), 1], [cut, 1], [ALL, -1])]);
      lp.charge(pool, ratePerS * ((splitMs[op] ?? 0) - (fusedMs[op] ?? 0)), cutShare);
    }
    if (cheaper.length > 0) rewardedCuts.push(cut);
    for (const op of cheaper) {
      const cutShare = lp.atMostEach(`${name}_v${op}`, [shareOf(op), cut]);
      lp.charge(pool, -ratePerS * ((fusedMs[op] ?? 0) - (splitMs[op] ?? 0)), cutShare);
    }
  }
  return { pool, rewardedCuts, fusedMs: ratePerS * fusedTotalMs };
}

/**
 * Settles chargeOperators' rewards against the tenant's segments (`segmentsOn`, each pool's count,
 * at least 1 per request that runs there):
 * - a cut needs two segments, so each rewarded cut part c <= Σ segments − λ (never negative: an
 *   operator's shares on the two pools add up to λ, and each pool's segments are at least its
 *   share); without CPU lanes on its pool (`lanes`), a request on one pool is one segment, so also
 *   c <= the other pool's;
 * - where the whole model as one segment runs cheaper than what the LP charges it (its fused
 *   operators, a launch and its own tensors' edges), the difference (`wholeSavingMs`, per unit of
 *   λ, by pool) on a part h of the λ requests that run wholly on that pool: h <= every operator's
 *   share there (`sharesOn`); where it runs dearer (a negative saving), the difference on a part
 *   h >= λ − the other pool's segments (a request with none there runs wholly on this pool).
 */
export function gateCuts(
  lp: BoundLp,
  charges: readonly OperatorCharges[],
  wholeSavingMs: ReadonlyMap<CostPool, number>,
  segmentsOn: ReadonlyMap<CostPool, Terms>,
  sharesOn: ReadonlyMap<CostPool, readonly Terms[]>,
  lanes: ReadonlySet<CostPool>,
  tag: string,
): void {
  const segments = [...segmentsOn.values()];
  const allSegments = combined(...segments.map((terms) => [terms, 1] as const));
  const otherOf = (pool: CostPool): Terms => segmentsOn.get(pool === CPU ? GPU : CPU) ?? NONE;
  const sideOf = (pool: CostPool): string => (pool === CPU ? 'c' : 'g');
  for (const { pool, rewardedCuts } of charges)
    rewardedCuts.forEach((cut, k) => {
      lp.row(`gs_${sideOf(pool)}_${tag}_${k}`, combined([allSegments, 1], [ALL, -1], [cut, -1]));
      if (!lanes.has(pool)) lp.row(`go_${sideOf(pool)}_${tag}_${k}`, combined([otherOf(pool), 1], [cut, -1]));
    });
  for (const [pool, savingMs] of wholeSavingMs) {
    const name = `h_${sideOf(pool)}_${tag}`;
    if (savingMs > 0) lp.charge(pool, -savingMs, lp.atMostEach(name, [ALL, ...(sharesOn.get(pool) ?? [])]));
    else if (savingMs < 0)
      lp.charge(pool, -savingMs, lp.atLeastEach(name, [combined([ALL, 1], [otherOf(pool), -1])]));
  }
}
