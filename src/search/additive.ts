import { Code, HetschedError } from '../common/index.js';
import { type Assignment, type Objective, ON_CPU, ON_GPU } from './problem.js';

/**
 * Additive placement instances: a request's cost is the sum of its operators' costs on their side
 * plus a switch cost on every edge whose ends are on different sides. Sequential execution, no
 * overlap, no queueing: simple enough that dynamic programming (chains) and a MILP (small DAGs)
 * find the exact optimum, which is what keeps the heuristic searches honest.
 */

/** A data edge u -> v between two operators of one tenant. */
export interface AdditiveEdge {
  /** Producer's operator index. */
  readonly from: number;
  /** Consumer's operator index. */
  readonly to: number;
  /** Paid when `from` is on the CPU and `to` on the GPU, ms; >= 0. */
  readonly cpuToGpuMs: number;
  /** Paid when `from` is on the GPU and `to` on the CPU, ms; >= 0. */
  readonly gpuToCpuMs: number;
}

export interface AdditiveTenant {
  /** Importance in the objective; >= 0. */
  readonly weight: number;
  /** Per operator: its time on the CPU, ms; finite, >= 0. */
  readonly cpuMs: readonly number[];
  /** Per operator: its time on the GPU, ms; >= 0, Infinity where the GPU cannot take it. */
  readonly gpuMs: readonly number[];
  /** Per operator: may it go to the GPU (also false wherever gpuMs is Infinity, see gpuAllowedOf). */
  readonly gpuAllowed: readonly boolean[];
  readonly edges: readonly AdditiveEdge[];
}

export interface AdditiveInstance {
  readonly tenants: readonly AdditiveTenant[];
}

/** Throws INVALID_ARGUMENT naming the first thing wrong with an instance. */
export function validateAdditive(instance: AdditiveInstance): void {
  instance.tenants.forEach((tenant, t) => {
    const fail = (what: string): never => {
      throw new HetschedError(Code.InvalidArgument, `additive tenant ${t}: ${what}`);
    };
    const n = tenant.cpuMs.length;
    if (!(tenant.weight >= 0 && Number.isFinite(tenant.weight)))
      fail(`weight must be finite and >= 0, got ${tenant.weight}`);
    if (tenant.gpuMs.length !== n || tenant.gpuAllowed.length !== n)
      fail(
        `cpuMs, gpuMs and gpuAllowed differ in length (${n}, ${tenant.gpuMs.length}, ${tenant.gpuAllowed.length})`,
      );
    for (let i = 0; i < n; i++) {
      const cpu = tenant.cpuMs[i] ?? Number.NaN;
      const gpu = tenant.gpuMs[i] ?? Number.NaN;
      if (!(cpu >= 0 && Number.isFinite(cpu))) fail(`cpuMs[${i}] must be finite and >= 0, got ${cpu}`);
      if (!(gpu >= 0)) fail(`gpuMs[${i}] must be >= 0 (Infinity: not on the GPU), got ${gpu}`);
    }
    for (const edge of tenant.edges) {
      const { from, to } = edge;
      if (!(Number.isInteger(from) && Number.isInteger(to) && from >= 0 && to >= 0 && from < n && to < n))
        fail(`edge ${from}->${to} names an operator outside 0..${n - 1}`);
      if (from === to) fail(`edge ${from}->${to} is a self-loop`);
      for (const ms of [edge.cpuToGpuMs, edge.gpuToCpuMs])
        if (!(ms >= 0 && Number.isFinite(ms)))
          fail(`edge ${from}->${to} switch cost must be finite and >= 0, got ${ms}`);
    }
  });
}

/** Per operator: whether the GPU may take it (allowed and finitely priced there). */
export function gpuAllowedOf(tenant: AdditiveTenant): boolean[] {
  return tenant.cpuMs.map(
    (_, i) => (tenant.gpuAllowed[i] ?? false) && Number.isFinite(tenant.gpuMs[i] ?? Infinity),
  );
}

/**
 * One request of one tenant executed sequentially, unweighted, in ms: operator costs on their
 * sides plus the switch cost of every edge that crosses. Infinity where an operator sits on a GPU
 * that may not take it.
 */
export function tenantLatencyMs(tenant: AdditiveTenant, sides: Uint8Array): number {
  let totalMs = 0;
  for (let i = 0; i < tenant.cpuMs.length; i++) {
    if (sides[i] === ON_GPU) {
      if (!tenant.gpuAllowed[i]) return Infinity;
      totalMs += tenant.gpuMs[i] ?? Infinity;
    } else totalMs += tenant.cpuMs[i] ?? 0;
  }
  for (const edge of tenant.edges) {
    const fromSide = sides[edge.from] ?? ON_CPU;
    const toSide = sides[edge.to] ?? ON_CPU;
    if (fromSide === ON_CPU && toSide === ON_GPU) totalMs += edge.cpuToGpuMs;
    else if (fromSide === ON_GPU && toSide === ON_CPU) totalMs += edge.gpuToCpuMs;
  }
  return totalMs;
}

/** Σ tenants weight · latency, ms. Zero-weight tenants add nothing, even where infeasible. */
export function weightedLatencyMs(instance: AdditiveInstance, assignment: Assignment): number {
  let totalMs = 0;
  instance.tenants.forEach((tenant, t) => {
    const sides = assignment[t];
    if (!sides || sides.length !== tenant.cpuMs.length)
      throw new HetschedError(
        Code.InvalidArgument,
        `assignment of tenant ${t} has ${sides?.length ?? 0} operators, the instance ${tenant.cpuMs.length}`,
      );
    if (tenant.weight > 0) totalMs += tenant.weight * tenantLatencyMs(tenant, sides);
  });
  return totalMs;
}

/**
 * Score = -(Σ tenants weight · (Σ operator cost on its side + Σ crossing edges' switch cost)):
 * minus the weighted latency of one request per tenant executed sequentially. -Infinity where an
 * operator sits on a GPU that may not take it. Every call is an evaluation (no cache: it is cheap).
 */
export class AdditiveObjective implements Objective {
  readonly sizes: readonly number[];
  readonly gpuAllowed: readonly (readonly boolean[])[];
  private count = 0;

  constructor(readonly instance: AdditiveInstance) {
    validateAdditive(instance);
    this.sizes = instance.tenants.map((tenant) => tenant.cpuMs.length);
    this.gpuAllowed = instance.tenants.map(gpuAllowedOf);
  }

  get evaluations(): number {
    return this.count;
  }

  score(assignment: Assignment): number {
    this.count++;
    return -weightedLatencyMs(this.instance, assignment);
  }
}

/** An exact optimum of an additive instance. */
export interface ExactSolution {
  readonly assignment: Assignment;
  /** AdditiveObjective's score of `assignment` (minus weighted latency, ms). */
  readonly score: number;
}
