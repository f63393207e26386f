import type { CostModel, ThreadBudget } from '../cost/index.js';
import type { GraphIR } from '../graph/index.js';

/**
 * The search's input: tenants (a model, its cost model on this machine, its QoS) and the machine's
 * pools. A placement of one tenant is one byte per operator (GraphIR.ops index), its side: the CPU
 * at the pool's own threads, the GPU, or the CPU with a wider thread budget.
 */

export const ON_CPU = 0;
export const ON_GPU = 1;
/** The first side of a wider CPU thread budget: budget j of SearchMachine.cpuBudgets is side 2 + j. */
export const FIRST_BUDGET_SIDE = 2;

/** The side of SearchMachine.cpuBudgets[budget]. */
export function budgetSide(budget: number): number {
  return FIRST_BUDGET_SIDE + budget;
}

/** The CPU lane a wider budget's segments run on: a lane of their own, so they never merge with others. */
export function budgetLane(side: number): `cpu:${number}` {
  return `cpu:${side - FIRST_BUDGET_SIDE + 1}`;
}

/**
 * Per tenant, per operator index: ON_CPU, ON_GPU, or budgetSide(j). Tenants in
 * SearchProblem.tenants order.
 */
export type Assignment = readonly Uint8Array[];

export interface SearchTenant {
  /** Unique among the tenants. */
  readonly name: string;
  readonly graph: GraphIR;
  readonly cost: CostModel;
  /** Latency objective (ms, arrival to reply). */
  readonly sloMs: number;
  /** Importance in the objective; >= 0. */
  readonly weight: number;
  /** Expected requests per second. */
  readonly ratePerS: number;
  /**
   * Per operator index: whether it may run on the GPU (false where pinned to the CPU: unsupported
   * by the EP, inaccurate there, or no GPU at all). A search never places a pinned operator there.
   */
  readonly gpuAllowed: readonly boolean[];
}

export interface SearchMachine {
  /** CPU worker threads (concurrent CPU segments). */
  readonly cpuSlots: number;
  /** Concurrent GPU sessions (1: one device queue). 0: no GPU. */
  readonly gpuSlots: number;
  /** Requests the dispatcher runs at once. Default: the engine's rule, requestSlotsFor(cpuSlots + gpuSlots). */
  readonly requestSlots?: number;
  /** Slowdown of a CPU segment by other busy CPU slots, per interference class (MachineProfile.cpu.interference). */
  readonly cpuInterference?: Readonly<Record<string, readonly number[]>>;
  /**
   * Wider thread budgets a CPU segment may be given, beyond the pool's own (one slot at the
   * engine's intra-op threads): budget j is side budgetSide(j); its segments run on CPU lane
   * budgetLane(side) with `threads` intra-op threads, each holding `slots` CPU slots. Every
   * tenant's profile must have CPU measurements at each budget's threads. Default: none.
   */
  readonly cpuBudgets?: readonly ThreadBudget[];
}

/** The CPU sides of an assignment on this machine: ON_CPU and one per wider thread budget. */
export function cpuSideCount(machine: SearchMachine): number {
  return 1 + (machine.cpuBudgets?.length ?? 0);
}

/** What is maximised. */
export type ObjectiveKind =
  /** Weighted throughput with every tenant inside its SLO, as the simulator evaluates it. */
  | 'throughput'
  /** Minus weighted mean latency at the tenants' expected rates (simulated). */
  | 'latency';

export interface SearchProblem {
  readonly tenants: readonly SearchTenant[];
  readonly machine: SearchMachine;
  readonly objective: ObjectiveKind;
  /** Seeds everything random (arrivals, policies, moves). */
  readonly seed: number;
}

/**
 * Scores assignments; higher is better. Implementations: the simulator-backed objective of a
 * SearchProblem, and additive objectives whose exact optimum DP or a MILP can compute. Deterministic.
 */
export interface Objective {
  /** Operators per tenant, in tenant order. */
  readonly sizes: readonly number[];
  /** Per tenant, per operator: may it go to the GPU. */
  readonly gpuAllowed: readonly (readonly boolean[])[];
  /**
   * CPU sides an operator may take: ON_CPU, then budgetSide(0), budgetSide(1), ... up to this
   * many in all. Default 1 (ON_CPU only).
   */
  readonly cpuSides?: number;
  score(assignment: Assignment): number;
  /**
   * Where an objective has it: the score where it is above `floor`, else `floor` or less, for a
   * search that takes improvements only; cheaper than score() for plans that are not above.
   */
  scoreAbove?(assignment: Assignment, floor: number): number;
  /** Evaluations so far (cache hits excluded). */
  readonly evaluations: number;
}

/** One step of a search trace: after `evaluations` evaluations, the best score so far. */
export interface TracePoint {
  readonly phase: string;
  readonly evaluations: number;
  readonly bestScore: number;
}

export interface SearchResult {
  readonly assignment: Assignment;
  readonly score: number;
  readonly evaluations: number;
  readonly trace: readonly TracePoint[];
}

/** An assignment with every operator on the CPU. */
export function allCpu(sizes: readonly number[]): Uint8Array[] {
  return sizes.map((size) => new Uint8Array(size));
}

/** An assignment with every operator the GPU may take on the GPU. */
export function allGpu(gpuAllowed: readonly (readonly boolean[])[]): Uint8Array[] {
  return gpuAllowed.map((allowed) => Uint8Array.from(allowed, (ok) => (ok ? ON_GPU : ON_CPU)));
}

/**
 * `assignment` with one tenant's sides replaced (the others shared): how the local searches make
 * each candidate. By `slice`, not by `map`: V8's optimised `map` builds a holey array where its
 * interpreter builds a packed one, and code optimised for packed assignments then deoptimised on
 * every candidate the optimised code made: in some runs of the search bench's 5 × 300 search the
 * range sweep deoptimised some 2,000 times, each back to the interpreter (count them with
 * `node --trace-deopt bench/search-speed-run.mjs dist '<case>' | grep -c 'JSFunction tryRun '`;
 * with slice, once). `slice` keeps the array's kind.
 */
export function withTenant(assignment: Assignment, tenant: number, sides: Uint8Array): Uint8Array[] {
  const next = assignment.slice();
  next[tenant] = sides;
  return next;
}

/** A key for caching scores of assignments. */
export function assignmentKey(assignment: Assignment): string {
  // An indexed loop rather than map and join: see withTenant.
  let key = '';
  for (let tenant = 0; tenant < assignment.length; tenant++)
    key += `${tenant > 0 ? '|' : ''}${Buffer.from(assignment[tenant] as Uint8Array).toString('base64')}`;
  return key;
}
