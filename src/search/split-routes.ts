import { effectiveGpuAllowed } from './assignment-check.js';
import { type Assignment, ON_CPU, ON_GPU, type SearchProblem } from './problem.js';
import {
  type PlanPrediction,
  SimObjective,
  type SimObjectiveOptions,
  type TenantPrediction,
} from './sim-objective.js';

/**
 * Request-level splitting: a share of one tenant's requests runs another placement of its model
 * (the runtime sends it every 1/share-th request: Plan.alternate). Where one pool is saturated
 * and the other has slack, moving a whole tenant overloads the other pool and moving operators
 * pays for switches; handing it a share of the requests uses the slack and no more. The LP bound
 * already counts such splits (its variables are shares of each tenant's requests), so a plan of
 * whole requests can sit below it however well it is placed.
 */
export interface TenantSplit {
  /** Index in SearchProblem.tenants. */
  readonly tenant: number;
  /** The alternate placement: a side per operator, as in an Assignment. */
  readonly sides: Uint8Array;
  /** The share of the tenant's requests that runs it: 0 < share < 1. */
  readonly share: number;
}

/** The name of a split tenant's alternate route in a split problem, and in its predictions. */
export function alternateName(name: string): string {
  return `${name}#alternate`;
}

/**
 * The problem as the simulator sees a split plan: each split tenant's own placement at
 * (1 − share) of its rate, and its alternate as one more tenant (the same model, SLO and weight)
 * at `share` of it, after all the others; Σ weight · rate is unchanged. Each route must meet the
 * SLO on its own, at least as strict as their requests together meeting it (the p99 of the union
 * is at most the larger of the two), and Poisson thinning is burstier than the runtime's evenly
 * spread routing: a split's score errs low.
 */
export function splitProblem(problem: SearchProblem, splits: readonly TenantSplit[]): SearchProblem {
  const shareOf = new Map(splits.map((split) => [split.tenant, split.share]));
  const alternates = splits.map((split) => {
    const tenant = problem.tenants[split.tenant];
    if (!tenant) throw new RangeError(`splitProblem: no tenant ${split.tenant}`);
    return { ...tenant, name: alternateName(tenant.name), ratePerS: tenant.ratePerS * split.share };
  });
  return {
    ...problem,
    tenants: [
      ...problem.tenants.map((tenant, index) => {
        const share = shareOf.get(index);
        return share === undefined ? tenant : { ...tenant, ratePerS: tenant.ratePerS * (1 - share) };
      }),
      ...alternates,
    ],
  };
}

/** The assignment of splitProblem(problem, splits): the tenants' own placements, then the alternates. */
export function splitAssignment(assignment: Assignment, splits: readonly TenantSplit[]): Assignment {
  return [...assignment, ...splits.map((split) => split.sides)];
}

export interface SplitSearchOptions {
  /** Shares tried for each alternate, ascending: the first that does not improve ends them. Default SPLIT_SHARES. */
  readonly shares?: readonly number[];
  readonly simulator?: SimObjectiveOptions;
}

/**
 * Small shares first and no more than half: a share hands the other pool that fraction of the
 * tenant's work, and on the mixes measured the gain peaked at 1/16 and turned into overload by 1/8.
 */
export const SPLIT_SHARES: readonly number[] = [1 / 32, 1 / 16, 1 / 8, 1 / 4, 1 / 2];

export interface SplitSearchResult {
  /** In tenant order; empty where no split beat the plan. */
  readonly splits: readonly TenantSplit[];
  /** The simulator's score of the plan with its splits: the plan's own score where there are none. */
  readonly score: number;
  /** Simulator evaluations spent. */
  readonly evaluations: number;
  /** The judge of splitProblem(problem, splits), to describe the plan with; absent without splits. */
  readonly judge?: SimObjective;
}

/**
 * Splits of a plan's tenants, judged by the simulator: tenant by tenant, each alternate (the
 * tenant whole on the CPU, and every operator the GPU may take on it) at growing shares while
 * they improve, the best kept before the next tenant. A split must also beat the same split
 * problem with every alternate running its tenant's own placement: that is the plan scored on the
 * split problem's arrivals, so a gain that was only a different draw of arrivals is refused.
 * Deterministic: the simulator's arrivals are seeded.
 */
export function searchSplits(
  problem: SearchProblem,
  assignment: Assignment,
  score: number,
  options: SplitSearchOptions = {},
): SplitSearchResult {
  const shares = options.shares ?? SPLIT_SHARES;
  const gpuAllowed = effectiveGpuAllowed(problem);
  let splits: readonly TenantSplit[] = [];
  let best = score;
  let bestCapacity = new SimObjective(problem, options.simulator).capacity(assignment);
  let judge: SimObjective | undefined;
  let evaluations = 0;
  problem.tenants.forEach((_, tenant) => {
    const own = assignment[tenant] as Uint8Array;
    let found: { splits: TenantSplit[]; score: number; capacity: number; judge: SimObjective } | undefined;
    for (const sides of alternatesOf(own, gpuAllowed[tenant] as readonly boolean[])) {
      for (const share of shares) {
        const candidate = [...splits, { tenant, sides, share }];
        const candidateJudge = new SimObjective(splitProblem(problem, candidate), options.simulator);
        const split = splitAssignment(assignment, candidate);
        // A split that does not raise the analytic capacity hands work to a pool with no slack
        // for it: not simulated (most candidates on a balanced plan are such).
        const capacity = candidateJudge.capacity(split);
        if (!(capacity > bestCapacity)) break;
        const floor = found?.score ?? best;
        const reached = candidateJudge.scoreAbove(split, floor);
        evaluations++;
        if (!(reached > floor)) break;
        found = { splits: candidate, score: reached, capacity, judge: candidateJudge };
      }
    }
    if (found) ({ splits, score: best, capacity: bestCapacity, judge } = found);
  });
  if (!judge) return { splits: [], score, evaluations };
  const unsplit = splits.map((split) => ({ ...split, sides: assignment[split.tenant] as Uint8Array }));
  const unsplitScore = judge.score(splitAssignment(assignment, unsplit));
  evaluations++;
  if (!(best > unsplitScore)) return { splits: [], score, evaluations };
  return { splits, score: best, evaluations, judge };
}

/**
 * The placements a share of a tenant's requests may take instead of its own: whole on the CPU,
 * and every operator the GPU may take on it (each where it differs from the tenant's own, and
 * the second where the GPU may take any). Whole placements, so the alternate pays one hand-off.
 */
function alternatesOf(own: Uint8Array, gpuAllowed: readonly boolean[]): Uint8Array[] {
  const cpu = new Uint8Array(own.length).fill(ON_CPU);
  const gpu = Uint8Array.from(gpuAllowed, (ok) => (ok ? ON_GPU : ON_CPU));
  const candidates = gpuAllowed.some(Boolean) ? [cpu, gpu] : [cpu];
  return candidates.filter((sides) => !sameSides(sides, own));
}

function sameSides(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((side, op) => side === b[op]);
}

/**
 * The simulator's prediction of a split plan (describe on its split problem), each split tenant's
 * two rows marked with their route: its own placement under its name, the alternate under
 * alternateName.
 */
export function describeSplit(
  problem: SearchProblem,
  assignment: Assignment,
  found: Required<Pick<SplitSearchResult, 'splits' | 'judge'>>,
): PlanPrediction {
  const prediction = found.judge.describe(splitAssignment(assignment, found.splits));
  const routes = new Map<string, NonNullable<TenantPrediction['route']>>();
  for (const split of found.splits) {
    const tenant = (problem.tenants[split.tenant] as SearchProblem['tenants'][number]).name;
    routes.set(tenant, { tenant, alternate: false, share: 1 - split.share });
    routes.set(alternateName(tenant), { tenant, alternate: true, share: split.share });
  }
  return {
    ...prediction,
    tenants: prediction.tenants.map((row) => {
      const route = routes.get(row.name);
      return route ? { ...row, route } : row;
    }),
  };
}
