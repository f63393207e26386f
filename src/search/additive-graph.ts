import type { GraphIR } from '../graph/index.js';
import type { AdditiveInstance, AdditiveTenant } from './additive.js';
import type { BlockCostFn } from './rl-features.js';
import { syntheticDag } from './test-dag.js';

/** Bytes per ms of switch cost in the graph built for an additive tenant (only ratios matter). */
const BYTES_PER_SWITCH_MS = 1 << 20;
const FLOPS_PER_CPU_MS = 1e7;

/**
 * The operator graph of an additive tenant, so that the graph-driven searches (coarsening, the
 * refinement's moves) can run on an instance whose exact optimum is known: one operator per
 * additive operator, reading its predecessors' outputs; an operator's compute follows its CPU time
 * and its output's size its switch cost, so coarsening sees what the objective sees.
 */
export function graphOfAdditive(tenant: AdditiveTenant): GraphIR {
  const n = tenant.cpuMs.length;
  const inputs = Array.from({ length: n }, () => [] as number[]);
  const switchMs = new Float64Array(n);
  for (const edge of tenant.edges) {
    inputs[edge.to]?.push(edge.from);
    switchMs[edge.from] = Math.max(switchMs[edge.from] ?? 0, (edge.cpuToGpuMs + edge.gpuToCpuMs) / 2);
  }
  return syntheticDag(
    Array.from({ length: n }, (_, i) => ({
      inputs: (inputs[i]?.length ?? 0) > 0 ? (inputs[i] as number[]) : [-1],
      flops: Math.round((tenant.cpuMs[i] ?? 0) * FLOPS_PER_CPU_MS),
      bytesOut: Math.max(1, Math.round((switchMs[i] ?? 0) * BYTES_PER_SWITCH_MS)),
    })),
  );
}

/** Block costs of an additive instance: the sums of its operators' times on each side. */
export function additiveBlockCosts(instance: AdditiveInstance): BlockCostFn {
  return (t, block) => {
    const tenant = instance.tenants[t];
    let cpuMs = 0;
    let gpuMs = 0;
    for (const op of block.ops) {
      cpuMs += tenant?.cpuMs[op] ?? 0;
      gpuMs += tenant?.gpuMs[op] ?? Number.POSITIVE_INFINITY;
    }
    return { cpuMs, gpuMs };
  };
}
