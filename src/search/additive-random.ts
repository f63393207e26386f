import { Rng } from '../common/index.js';
import type { AdditiveEdge, AdditiveInstance, AdditiveTenant } from './additive.js';

/**
 * Seeded random additive instances that are not trivially solved: operator work spans two orders
 * of magnitude, the GPU pays a fixed overhead per operator (so it is faster on heavy operators
 * and slower on light ones), and switching sides costs about as much as an operator.
 */

export interface RandomAdditiveOptions {
  /** Tenants, each with its own graph and costs. Default 1. */
  readonly tenants?: number;
  /** Fraction of operators pinned to the CPU. Default 0.1. */
  readonly pinnedFraction?: number;
}

export interface RandomDagOptions extends RandomAdditiveOptions {
  /** Probability that an operator reads a random earlier operator instead of its predecessor (branches). Default 0.3. */
  readonly branchProbability?: number;
  /** Probability that an operator also reads a random earlier operator (residuals, joins). Default 0.3. */
  readonly residualProbability?: number;
}

/** Tenants whose operators form the chain 0 -> 1 -> ... -> n-1. */
export function randomChain(
  operators: number,
  seed: number,
  options: RandomAdditiveOptions = {},
): AdditiveInstance {
  const rng = new Rng(seed);
  return randomInstance(rng, operators, options, () => {
    const tenantEdges: AdditiveEdge[] = [];
    for (let to = 1; to < operators; to++) tenantEdges.push(randomEdge(rng, to - 1, to));
    return tenantEdges;
  });
}

/**
 * Tenants whose operators form a DAG in topological index order: each operator after the first
 * reads its predecessor or (branchProbability) an earlier one, and maybe (residualProbability) a
 * second earlier one.
 */
export function randomDag(operators: number, seed: number, options: RandomDagOptions = {}): AdditiveInstance {
  const rng = new Rng(seed);
  const branch = options.branchProbability ?? 0.3;
  const residual = options.residualProbability ?? 0.3;
  return randomInstance(rng, operators, options, () => {
    const edges: AdditiveEdge[] = [];
    const seen = new Set<number>();
    const add = (from: number, to: number): void => {
      const key = from * operators + to;
      if (seen.has(key)) return;
      seen.add(key);
      edges.push(randomEdge(rng, from, to));
    };
    for (let to = 1; to < operators; to++) {
      add(rng.bool(branch) ? rng.int(0, to - 1) : to - 1, to);
      if (to >= 2 && rng.bool(residual)) add(rng.int(0, to - 2), to);
    }
    return edges;
  });
}

function randomInstance(
  rng: Rng,
  operators: number,
  options: RandomAdditiveOptions,
  edgesOf: () => AdditiveEdge[],
): AdditiveInstance {
  const pinned = options.pinnedFraction ?? 0.1;
  const tenants: AdditiveTenant[] = [];
  for (let t = 0; t < (options.tenants ?? 1); t++) {
    const cpuMs: number[] = [];
    const gpuMs: number[] = [];
    const gpuAllowed: boolean[] = [];
    for (let i = 0; i < operators; i++) {
      // Log-uniform work, 0.05..5 ms on the CPU; the GPU runs it 3-20x faster after a 0.2-0.6 ms overhead.
      const workMs = 0.05 * 100 ** rng.float();
      cpuMs.push(workMs);
      const allowed = !rng.bool(pinned);
      gpuAllowed.push(allowed);
      const onGpuMs = rng.range(0.2, 0.6) + workMs * rng.range(0.05, 0.3);
      // A pinned operator sometimes has no GPU price at all, as an unsupported one would not.
      gpuMs.push(allowed || rng.bool(0.5) ? onGpuMs : Infinity);
    }
    const edges = edgesOf();
    tenants.push({ weight: rng.range(0.5, 2), cpuMs, gpuMs, gpuAllowed, edges });
  }
  return { tenants };
}

function randomEdge(rng: Rng, from: number, to: number): AdditiveEdge {
  return { from, to, cpuToGpuMs: rng.range(0.02, 0.5), gpuToCpuMs: rng.range(0.02, 0.5) };
}
