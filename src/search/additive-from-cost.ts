import type { CostPool } from '../cost/index.js';
import type { AdditiveEdge, AdditiveTenant } from './additive.js';
import { segmentLaunchMs, singletonOpMs } from './op-cost.js';
import type { SearchTenant } from './problem.js';

const GPU: CostPool = 'gpu:0';

/**
 * An additive tenant from a real tenant's cost model, one request executed sequentially:
 *
 * - an operator costs its singleton price on each side (see op-cost.ts: segment of its own minus
 *   launch), plus, on the GPU, the host->device copy of each request input it reads and the
 *   device->host copy of each graph output it writes (what simTenant adds over the CPU case);
 * - an edge u -> v (v reads a tensor u writes) whose ends are on different sides costs the
 *   crossing of each such tensor (CostModel.boundaryMs) plus the dispatch and launch of the
 *   segment the consumer starts.
 *
 * Approximations, all in the direction the real plan would differ: several crossing edges into
 * one segment each pay a launch and dispatch the real segment pays once, and a tensor read by
 * several operators across the boundary is copied once per reader (both over-count); the first
 * segment's launch and dispatch, and hand-offs between segments on the same side, are not counted
 * (under-count, nearly constant across placements); an operator of a fused group pays its unfused
 * time even where the group stays whole on one side; overlap of CPU and GPU work is ignored.
 */
export function additiveFromCostModel(tenant: SearchTenant): AdditiveTenant {
  const { cost, graph } = tenant;
  const hasGpu = cost.hasGpu;
  const n = graph.ops.length;
  const cpuMs: number[] = [];
  const gpuMs: number[] = [];
  const gpuAllowed: boolean[] = [];
  // The extra cost of a tensor crossing to or from the device over a CPU-to-CPU hand-off.
  const toDeviceMs = (bytes: number): number =>
    cost.boundaryMs(bytes, 'cpu', GPU) - cost.boundaryMs(bytes, 'cpu', 'cpu');
  const fromDeviceMs = (bytes: number): number =>
    cost.boundaryMs(bytes, GPU, 'cpu') - cost.boundaryMs(bytes, 'cpu', 'cpu');
  const outputs = new Set(graph.outputs);
  const crossings = new Map<number, { from: number; to: number; tensors: number[] }>();
  for (const op of graph.ops) {
    cpuMs.push(singletonOpMs(cost, op.index, 'cpu'));
    gpuAllowed.push(hasGpu && (tenant.gpuAllowed[op.index] ?? false));
    // Without a GPU the edges stay (the graph's shape) at no cost: nothing can cross.
    let ms = hasGpu ? singletonOpMs(cost, op.index, GPU) : Infinity;
    for (const name of new Set([...op.inputs, ...op.implicitInputs])) {
      const tensor = name === '' ? undefined : graph.tensors[name];
      if (!tensor) continue;
      const bytes = tensor.bytes ?? 0;
      if (tensor.producer === null) {
        if (tensor.kind === 'input' && hasGpu) ms += toDeviceMs(bytes);
      } else if (tensor.producer !== op.index) {
        const key = tensor.producer * n + op.index;
        const crossing = crossings.get(key) ?? { from: tensor.producer, to: op.index, tensors: [] };
        crossing.tensors.push(bytes);
        crossings.set(key, crossing);
      }
    }
    for (const name of op.outputs)
      if (hasGpu && outputs.has(name)) ms += fromDeviceMs(graph.tensors[name]?.bytes ?? 0);
    gpuMs.push(ms);
  }
  const edges: AdditiveEdge[] = [];
  const enterGpuMs = hasGpu ? cost.dispatchMs(GPU) + segmentLaunchMs(cost, GPU) : 0;
  const enterCpuMs = hasGpu ? cost.dispatchMs('cpu') + segmentLaunchMs(cost, 'cpu') : 0;
  for (const { from, to, tensors } of [...crossings.values()].sort(
    (a, b) => a.from - b.from || a.to - b.to,
  )) {
    let cpuToGpuMs = enterGpuMs;
    let gpuToCpuMs = enterCpuMs;
    if (hasGpu)
      for (const bytes of tensors) {
        cpuToGpuMs += cost.boundaryMs(bytes, 'cpu', GPU);
        gpuToCpuMs += cost.boundaryMs(bytes, GPU, 'cpu');
      }
    edges.push({ from, to, cpuToGpuMs, gpuToCpuMs });
  }
  return { weight: tenant.weight, cpuMs, gpuMs, gpuAllowed, edges };
}
