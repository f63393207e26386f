import { Code, HetschedError } from '../common/index.js';
import {
  type AdditiveEdge,
  type AdditiveInstance,
  type AdditiveTenant,
  type ExactSolution,
  gpuAllowedOf,
  validateAdditive,
  weightedLatencyMs,
} from './additive.js';
import { ON_CPU, ON_GPU } from './problem.js';

/**
 * The exact optimum of an additive instance whose tenants are each a chain (a directed path
 * through all their operators), by dynamic programming over the chain: O(n·2·2) per tenant.
 * Tenants share nothing in an additive instance, so each is optimised on its own.
 */
export function solveChainDp(instance: AdditiveInstance): ExactSolution {
  validateAdditive(instance);
  const assignment = instance.tenants.map((tenant, t) => solveChainTenant(tenant, t));
  return { assignment, score: -weightedLatencyMs(instance, assignment) };
}

function solveChainTenant(tenant: AdditiveTenant, t: number): Uint8Array {
  const n = tenant.cpuMs.length;
  const sides = new Uint8Array(n);
  if (n === 0) return sides;
  const { order, incoming } = chainOrder(tenant, t);
  const allowed = gpuAllowedOf(tenant);
  const opMs = (op: number, side: number): number =>
    side === ON_GPU ? (allowed[op] ? (tenant.gpuMs[op] ?? Infinity) : Infinity) : (tenant.cpuMs[op] ?? 0);
  const switchMs = (edge: AdditiveEdge | undefined, fromSide: number, toSide: number): number => {
    if (!edge || fromSide === toSide) return 0;
    return fromSide === ON_CPU ? edge.cpuToGpuMs : edge.gpuToCpuMs;
  };
  // bestMs[k*2+s]: cheapest prefix order[0..k] with order[k] on side s; cameFrom: the side of order[k-1] that achieved it.
  const bestMs = new Float64Array(2 * n);
  const cameFrom = new Uint8Array(2 * n);
  const first = order[0] ?? 0;
  bestMs[ON_CPU] = opMs(first, ON_CPU);
  bestMs[ON_GPU] = opMs(first, ON_GPU);
  for (let k = 1; k < n; k++) {
    const op = order[k] ?? 0;
    const edge = incoming[op];
    for (const side of [ON_CPU, ON_GPU]) {
      const viaCpu = (bestMs[2 * (k - 1) + ON_CPU] ?? Infinity) + switchMs(edge, ON_CPU, side);
      const viaGpu = (bestMs[2 * (k - 1) + ON_GPU] ?? Infinity) + switchMs(edge, ON_GPU, side);
      // Ties go to the CPU: the choice that needs no device.
      const previous = viaGpu < viaCpu ? ON_GPU : ON_CPU;
      bestMs[2 * k + side] = Math.min(viaCpu, viaGpu) + opMs(op, side);
      cameFrom[2 * k + side] = previous;
    }
  }
  let side: number =
    (bestMs[2 * (n - 1) + ON_GPU] ?? Infinity) < (bestMs[2 * (n - 1) + ON_CPU] ?? Infinity) ? ON_GPU : ON_CPU;
  for (let k = n - 1; k >= 0; k--) {
    sides[order[k] ?? 0] = side;
    side = cameFrom[2 * k + side] ?? ON_CPU;
  }
  return sides;
}

/**
 * The operators of a chain tenant from its head to its tail, and each one's incoming edge.
 * Throws INVALID_ARGUMENT where the edges do not form one directed path through every operator.
 */
function chainOrder(
  tenant: AdditiveTenant,
  t: number,
): { order: number[]; incoming: (AdditiveEdge | undefined)[] } {
  const n = tenant.cpuMs.length;
  const notChain = (why: string): never => {
    throw new HetschedError(
      Code.InvalidArgument,
      `tenant ${t} is not a chain (${why}); chain DP needs edges forming one directed path through all ${n} operators`,
    );
  };
  if (tenant.edges.length !== n - 1) notChain(`${tenant.edges.length} edges, a chain has ${n - 1}`);
  const incoming: (AdditiveEdge | undefined)[] = new Array(n).fill(undefined);
  const next = new Int32Array(n).fill(-1);
  for (const edge of tenant.edges) {
    if (incoming[edge.to]) notChain(`operator ${edge.to} has two inputs`);
    if (next[edge.from] !== -1) notChain(`operator ${edge.from} has two outputs`);
    incoming[edge.to] = edge;
    next[edge.from] = edge.to;
  }
  const heads = incoming.flatMap((edge, op) => (edge ? [] : [op]));
  if (heads.length !== 1) notChain(`${heads.length} operators without an input`);
  const order: number[] = [];
  for (let op = heads[0] ?? -1; op !== -1 && order.length < n; op = next[op] ?? -1) order.push(op);
  if (order.length !== n) notChain('the path from the head misses operators (a cycle)');
  return { order, incoming };
}
