import { describe, expect, it } from 'vitest';
import type { CostPool } from '../cost/index.js';
import { solveLpText } from '../solver/index.js';
import { ALL, BoundLp, INVERSE_LAMBDA, LAMBDA, NONE, type Terms } from './lp-builder.js';
import { chargeOperators, gateCuts, type PoolPrices } from './lp-prices.js';

/**
 * chargeOperators and gateCuts on one tenant of two operators A (0) and B (1), fused into one group
 * headed by A, at 1 request/s per unit of λ: the CPU ms per request the LP settles on, with the
 * operators' CPU shares and the tenant's segments given.
 */
async function cpuMsPerRequest(options: {
  readonly fusedMs: readonly number[];
  readonly splitMs: readonly number[];
  readonly shares: readonly Terms[];
  readonly segments: ReadonlyMap<CostPool, Terms>;
  readonly lanes?: boolean;
  readonly wholeSavingMs?: number;
}): Promise<number> {
  const lp = new BoundLp();
  const prices: PoolPrices = {
    fusedMs: Float64Array.from(options.fusedMs),
    splitMs: Float64Array.from(options.splitMs),
    groupOf: Int32Array.from([0, 0]),
    wholeRunMs: 0,
    wholeRunLatenciesMs: [0],
  };
  const charges = chargeOperators(lp, 1, 'cpu', prices, (op) => options.shares[op] ?? NONE, 't');
  gateCuts(
    lp,
    [charges],
    new Map([['cpu', options.wholeSavingMs ?? 0]]),
    options.segments,
    new Map([['cpu', options.shares]]),
    new Set(options.lanes ? ['cpu'] : []),
    't',
  );
  // As lp-bound.ts writes it: λ at 1, the one CPU slot's capacity scaled by 1/λ, which it minimises.
  const text = [
    'Minimize',
    ` time: 1 ${INVERSE_LAMBDA}`,
    'Subject To',
    ...lp.capacityRow('cpu', 'cpu', 1),
    ...lp.rows,
    'End',
  ];
  const solution = await solveLpText(text.join('\n'));
  return 1000 * (solution.primal.get(INVERSE_LAMBDA) ?? Number.NaN);
}

/** Both operators on the CPU, the tenant on the GPU too (two segments at least). */
const BOTH_ON_CPU = {
  shares: [ALL, ALL],
  segments: new Map<CostPool, Terms>([
    ['cpu', ALL],
    ['gpu:0', ALL],
  ]),
};

describe('chargeOperators and gateCuts', () => {
  it('prices a group all fused or all split, whichever is less, never a mix of the two', async () => {
    // Cut, A costs 2 ms instead of 3 and B 0.5 instead of 0.2: 2.5 against 3.2 whole. Each
    // operator at its own lesser price would be 2.2, a group no segment prices so.
    const ms = await cpuMsPerRequest({ fusedMs: [3, 0.2], splitMs: [2, 0.5], ...BOTH_ON_CPU });
    expect(ms).toBeCloseTo(2.5, 9);
    // Dearer cut: the group stays fused.
    const fused = await cpuMsPerRequest({ fusedMs: [3, 0.2], splitMs: [2.9, 0.5], ...BOTH_ON_CPU });
    expect(fused).toBeCloseTo(3.2, 9);
  });

  it('rewards a cheaper cut only where the request runs in two segments', async () => {
    const prices = { fusedMs: [3, 0.2], splitMs: [2, 0.5], shares: [ALL, ALL] };
    // On the CPU alone, one segment: no cut.
    const alone = new Map<CostPool, Terms>([['cpu', ALL]]);
    expect(await cpuMsPerRequest({ ...prices, segments: alone })).toBeCloseTo(3.2, 9);
    // With CPU lanes, a second CPU segment may cut it with no GPU in the request.
    const twoLanes = new Map<CostPool, Terms>([['cpu', [[2, LAMBDA]]]]);
    expect(await cpuMsPerRequest({ ...prices, segments: twoLanes, lanes: true })).toBeCloseTo(2.5, 9);
    // Without lanes, two CPU segments still need the GPU between them.
    expect(await cpuMsPerRequest({ ...prices, segments: twoLanes })).toBeCloseTo(3.2, 9);
  });

  it('charges a group split between pools its dearer split price', async () => {
    // B on the GPU (no CPU share): the group is cut, and A pays its split 4 ms, not its fused 3.
    const ms = await cpuMsPerRequest({
      fusedMs: [3, 0.2],
      splitMs: [4, 0.5],
      shares: [ALL, NONE],
      segments: BOTH_ON_CPU.segments,
    });
    expect(ms).toBeCloseTo(4, 9);
  });

  it('gives the whole-model saving only to requests that run wholly on the pool', async () => {
    const prices = { fusedMs: [3, 0.2], splitMs: [3, 0.2], wholeSavingMs: 1 };
    const alone = new Map<CostPool, Terms>([['cpu', ALL]]);
    expect(await cpuMsPerRequest({ ...prices, shares: [ALL, ALL], segments: alone })).toBeCloseTo(2.2, 9);
    // B on the GPU: A runs in a segment of its own, at its fused 3 ms.
    const both = BOTH_ON_CPU.segments;
    expect(await cpuMsPerRequest({ ...prices, shares: [ALL, NONE], segments: both })).toBeCloseTo(3, 9);
  });

  it('charges a whole run dearer than the operators to requests with no segment on the other pool', async () => {
    const prices = { fusedMs: [3, 0.2], splitMs: [3, 0.2], shares: [ALL, ALL], wholeSavingMs: -0.5 };
    const alone = new Map<CostPool, Terms>([['cpu', ALL]]);
    expect(await cpuMsPerRequest({ ...prices, segments: alone })).toBeCloseTo(3.7, 9);
    expect(await cpuMsPerRequest({ ...prices, segments: BOTH_ON_CPU.segments })).toBeCloseTo(3.2, 9);
  });

  it('never bounds the segments it is given (a saving is a column, not a limit on them)', async () => {
    // Three CPU segments a request, as a fragmented placement with lanes has: the LP must stay
    // feasible. (A bound h <= 2λ − segments, with h >= 0, would cap the segments at 2λ.)
    const threeSegments = new Map<CostPool, Terms>([['cpu', [[3, LAMBDA]]]]);
    const ms = await cpuMsPerRequest({
      fusedMs: [3, 0.2],
      splitMs: [3, 0.2],
      wholeSavingMs: 1,
      shares: [ALL, ALL],
      segments: threeSegments,
      lanes: true,
    });
    expect(Number.isFinite(ms)).toBe(true);
    expect(ms).toBeLessThanOrEqual(3.2 + 1e-9);
  });
});
