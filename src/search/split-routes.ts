import { AnalyticObjective } from './analytic-objective.js';
import { effectiveGpuAllowed } from './assignment-check.js';
import { type Assignment, ON_CPU, ON_GPU, type SearchProblem, type SearchTenant } from './problem.js';
import { sameSides } from './sides.js';
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
 * (1 − share) of its rate, and its alternate as one more tenant (the same model and SLO) at
 * `share` of it, after all the others. Each route must meet the SLO on its own, at least as strict
 * as their requests together meeting it (the p99 of the union is at most the larger of the two),
 * and Poisson thinning is burstier than the runtime's evenly spread routing: a split's score errs
 * low. Weights keep each objective's sum: for throughput both routes keep the tenant's weight
 * (Σ weight · rate is unchanged); for latency, a sum of weighted mean latencies, each route
 * weighs its share of the tenant's weight (its share of the tenant's requests).
 */
export function splitProblem(problem: SearchProblem, splits: readonly TenantSplit[]): SearchProblem {
  const route = (tenant: SearchTenant, share: number): SearchTenant => ({
    ...tenant,
    ratePerS: tenant.ratePerS * share,
    weight: problem.objective === 'latency' ? tenant.weight * share : tenant.weight,
  });
  const shareOf = new Map(splits.map((split) => [split.tenant, split.share]));
  const alternates = splits.map((split) => {
    const tenant = problem.tenants[split.tenant];
    if (!tenant) throw new RangeError(`splitProblem: no tenant ${split.tenant}`);
    return { ...route(tenant, split.share), name: alternateName(tenant.name) };
  });
  return {
    ...problem,
    tenants: [
      ...problem.tenants.map((tenant, index) => {
        const share = shareOf.get(index);
        return share === undefined ? tenant : route(tenant, 1 - share);
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
 * tenant's work. On bench search's det+audio mix, Silero VAD's gain on the GPU peaked at 1/64 to
 * 1/32 of its requests and turned into overload by 3/32.
 */
export const SPLIT_SHARES: readonly number[] = [1 / 64, 1 / 32, 1 / 16, 1 / 8, 1 / 4, 1 / 2];

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
 * they improve, the best kept before the next tenant. Under the throughput objective a split must
 * sustain a higher load than the plan (SimObjective.loadScale), not merely win the score's
 * tie-break on analytic capacity: a split costs a second set of sessions. It must also beat the
 * same split problem with every alternate running its tenant's own placement: that is the plan
 * on the split problem's arrivals, so a gain that was only another draw of arrivals is refused.
 * Deterministic: the simulator's arrivals are seeded.
 * @param judge the simulator of the unsplit problem, which scores `assignment` (cached where it has).
 */
export function searchSplits(
  judge: SimObjective,
  assignment: Assignment,
  options: SplitSearchOptions = {},
): SplitSearchResult {
  const { problem } = judge;
  const shares = options.shares ?? SPLIT_SHARES;
  const gpuAllowed = effectiveGpuAllowed(problem);
  const score = judge.score(assignment);
  // The search's fast objective, with the judge's dispatcher, screens splits before the judge.
  const fast = (of: SearchProblem) => new AnalyticObjective(of, options.simulator?.requestSlots);
  let best: Judged = {
    splits: [],
    score,
    loadScale: judge.loadScale(assignment),
    capacity: judge.capacity(assignment),
    fastScore: fast(problem).score(assignment),
  };
  let evaluations = 0;
  problem.tenants.forEach((_, tenant) => {
    const own = assignment[tenant] as Uint8Array;
    let found: Judged | undefined;
    for (const sides of alternatesOf(own, gpuAllowed[tenant] as readonly boolean[])) {
      for (const share of shares) {
        const splits = [...best.splits, { tenant, sides, share }];
        const splitOf = splitProblem(problem, splits);
        const splitJudge = new SimObjective(splitOf, options.simulator);
        const split = splitAssignment(assignment, splits);
        const floor = found ?? best;
        // A split that does not raise the analytic capacity hands work to a pool with no slack
        // for it; one the fast objective finds no better gains little (a throwaway run over bench
        // search's mixes from their model-level plans: of the splits the simulator found better,
        // it missed one, by 0.1%). Neither is simulated: on a plan the search balanced, most
        // candidates are such (5 x 300: all).
        const capacity = splitJudge.capacity(split);
        if (!(capacity > floor.capacity)) break;
        const fastScore = fast(splitOf).score(split);
        if (!(fastScore > floor.fastScore)) break;
        const reached = splitJudge.scoreAbove(split, floor.score);
        evaluations++;
        // Screened out (scoreAbove gave the floor back), or no more load sustained: a larger
        // share of the same alternate is taken to do no better.
        if (!(reached > floor.score)) break;
        const loadScale = splitJudge.loadScale(split);
        if (!servesMore(problem, loadScale, floor.loadScale)) break;
        found = { splits, score: reached, loadScale, capacity, fastScore, judge: splitJudge };
      }
    }
    if (found) best = found;
  });
  if (!best.judge) return { splits: [], score, evaluations };
  // The plan on the split problem's arrivals: every alternate running its tenant's own placement.
  const unsplit = splitAssignment(
    assignment,
    best.splits.map((split) => ({ ...split, sides: assignment[split.tenant] as Uint8Array })),
  );
  evaluations++;
  const unsplitScore = best.judge.score(unsplit);
  if (!(best.score > unsplitScore && servesMore(problem, best.loadScale, best.judge.loadScale(unsplit))))
    return { splits: [], score, evaluations };
  return { splits: best.splits, score: best.score, evaluations, judge: best.judge };
}

/**
 * A plan as searchSplits judged it: its splits, the simulator's score and load scale, its
 * analytic capacity and the fast objective's score.
 */
interface Judged {
  readonly splits: readonly TenantSplit[];
  readonly score: number;
  readonly loadScale: number;
  readonly capacity: number;
  readonly fastScore: number;
  /** The simulator of splitProblem(problem, splits); absent without splits. */
  readonly judge?: SimObjective;
}

/** Whether a load scale is more than another, where the objective has one (throughput); else true. */
function servesMore(problem: SearchProblem, loadScale: number, than: number): boolean {
  return problem.objective !== 'throughput' || loadScale > than;
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
    const tenant = (problem.tenants[split.tenant] as SearchTenant).name;
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
