import type { GraphIR } from '../graph/index.js';
import { buildBlocks, type TenantBlocks } from './blocks.js';

/**
 * Coarsening (COS's first step): group each tenant's operators into at most `maxBlocksPerTenant`
 * blocks that cross few bytes relative to their compute, so the RL phase decides tens of blocks,
 * not hundreds of operators, and rarely cuts a fat tensor. Pure and deterministic.
 *
 * 1. Chains: an edge A->B where A has no other successor and B no other predecessor is merged
 *    (it can never close a cycle), while the merged block stays within the mean block size at the
 *    target, so a model that is one long chain still yields many blocks rather than one.
 * 2. Neighbours: repeatedly merge the adjacent pair sharing the most bytes per unit of their
 *    combined compute (dividing by compute keeps blocks balanced), skipping pairs whose merge
 *    would make the block graph cyclic, until the target count is reached or no pair may merge.
 *
 * Operators the GPU may not take never share a block with ones it may (see blocks.ts), so the
 * target can be exceeded when pinned and movable operators interleave.
 */
export interface CoarsenOptions {
  /** Stop merging at this many blocks per tenant. Default 64. */
  readonly maxBlocksPerTenant?: number;
}

export const DEFAULT_MAX_BLOCKS_PER_TENANT = 64;

/**
 * A floor on every operator's compute, in flop-equivalents: even a Reshape costs a kernel launch
 * (~10 µs at ~10 GFLOP/s), and without a floor zero-flop operators would look free to merge.
 */
const OP_FLOOR_FLOPS = 1e5;

/** Coarsens every tenant; `gpuAllowed[t][op]` as in Objective. */
export function coarsenAll(
  graphs: readonly GraphIR[],
  gpuAllowed: readonly (readonly boolean[])[],
  options: CoarsenOptions = {},
): TenantBlocks[] {
  return graphs.map((graph, t) => coarsen(graph, gpuAllowed[t] ?? [], options));
}

/** Coarsens one tenant's graph into blocks. */
export function coarsen(
  graph: GraphIR,
  gpuAllowed: readonly boolean[],
  options: CoarsenOptions = {},
): TenantBlocks {
  const target = options.maxBlocksPerTenant ?? DEFAULT_MAX_BLOCKS_PER_TENANT;
  if (!Number.isInteger(target) || target < 1) {
    throw new RangeError(`maxBlocksPerTenant must be an integer >= 1, got ${target}`);
  }
  const state = new MergeState(graph, gpuAllowed);
  const chainCapFlops = state.totalWeight / target;
  mergeChains(state, chainCapFlops);
  mergeNeighbours(state, target);
  return buildBlocks(graph, gpuAllowed, state.rootsOfOps());
}

/**
 * Blocks as union-find roots with estimated edge bytes (a tensor read by two merged blocks may be
 * counted twice here; buildBlocks counts exactly at the end).
 */
class MergeState {
  readonly parent: Int32Array;
  readonly weight: Float64Array;
  readonly allowed: boolean[];
  readonly out: Map<number, number>[];
  readonly in: Map<number, number>[];
  readonly alive = new Set<number>();
  readonly totalWeight: number;

  constructor(graph: GraphIR, gpuAllowed: readonly boolean[]) {
    const n = graph.ops.length;
    this.parent = Int32Array.from({ length: n }, (_, i) => i);
    this.weight = Float64Array.from(graph.ops, (op) => (op.flops ?? 0) + OP_FLOOR_FLOPS);
    this.allowed = graph.ops.map((op) => gpuAllowed[op.index] === true);
    this.out = Array.from({ length: n }, () => new Map());
    this.in = Array.from({ length: n }, () => new Map());
    for (let i = 0; i < n; i++) this.alive.add(i);
    this.totalWeight = this.weight.reduce((a, b) => a + b, 0);
    for (const tensor of Object.values(graph.tensors)) {
      if (tensor.producer === null) continue;
      const from = tensor.producer;
      for (const to of new Set(tensor.consumers)) {
        if (to === from) continue;
        const bytes = tensor.bytes ?? 0;
        this.out[from]?.set(to, (this.out[from]?.get(to) ?? 0) + bytes);
        this.in[to]?.set(from, (this.in[to]?.get(from) ?? 0) + bytes);
      }
    }
  }

  find(op: number): number {
    let root = op;
    while (this.parent[root] !== root) root = this.parent[root] as number;
    while (this.parent[op] !== root) {
      const next = this.parent[op] as number;
      this.parent[op] = root;
      op = next;
    }
    return root;
  }

  outOf(block: number): Map<number, number> {
    return this.out[block] as Map<number, number>;
  }

  inOf(block: number): Map<number, number> {
    return this.in[block] as Map<number, number>;
  }

  /** Whether merging along edge from->to keeps the block graph acyclic (no other path from->to). */
  mergeKeepsAcyclic(from: number, to: number): boolean {
    const stack: number[] = [];
    const seen = new Set<number>([from]);
    for (const next of this.outOf(from).keys()) if (next !== to) stack.push(next);
    while (stack.length > 0) {
      const block = stack.pop() as number;
      if (block === to) return false;
      if (seen.has(block)) continue;
      seen.add(block);
      for (const next of this.outOf(block).keys()) if (!seen.has(next)) stack.push(next);
    }
    return true;
  }

  /** Merges `to` into `from` (there is an edge from->to). */
  merge(from: number, to: number): void {
    this.parent[to] = from;
    this.alive.delete(to);
    this.weight[from] = (this.weight[from] as number) + (this.weight[to] as number);
    const fromOut = this.outOf(from);
    const fromIn = this.inOf(from);
    fromOut.delete(to);
    for (const [next, bytes] of this.outOf(to)) {
      fromOut.set(next, (fromOut.get(next) ?? 0) + bytes);
      const nextIn = this.inOf(next);
      nextIn.delete(to);
      nextIn.set(from, (nextIn.get(from) ?? 0) + bytes);
    }
    for (const [prev, bytes] of this.inOf(to)) {
      if (prev === from) continue;
      fromIn.set(prev, (fromIn.get(prev) ?? 0) + bytes);
      const prevOut = this.outOf(prev);
      prevOut.delete(to);
      prevOut.set(from, (prevOut.get(from) ?? 0) + bytes);
    }
    this.outOf(to).clear();
    this.inOf(to).clear();
  }

  rootsOfOps(): Int32Array {
    return Int32Array.from({ length: this.parent.length }, (_, op) => this.find(op));
  }
}

function mergeChains(state: MergeState, capFlops: number): void {
  for (let changed = true; changed; ) {
    changed = false;
    for (const from of [...state.alive].sort((a, b) => a - b)) {
      if (!state.alive.has(from)) continue;
      const outs = state.outOf(from);
      if (outs.size !== 1) continue;
      const to = outs.keys().next().value as number;
      if (state.inOf(to).size !== 1 || state.allowed[from] !== state.allowed[to]) continue;
      if ((state.weight[from] as number) + (state.weight[to] as number) > capFlops) continue;
      state.merge(from, to);
      changed = true;
    }
  }
}

interface Candidate {
  readonly from: number;
  readonly to: number;
  /** Shared bytes per flop-equivalent of the merged block: higher merges first. */
  readonly bytesPerFlop: number;
  readonly weight: number;
}

function mergeNeighbours(state: MergeState, target: number): void {
  while (state.alive.size > target) {
    const candidates: Candidate[] = [];
    for (const from of state.alive) {
      for (const [to, bytes] of state.outOf(from)) {
        if (state.allowed[from] !== state.allowed[to]) continue;
        const weight = (state.weight[from] as number) + (state.weight[to] as number);
        candidates.push({ from, to, bytesPerFlop: bytes / weight, weight });
      }
    }
    candidates.sort(
      (a, b) => b.bytesPerFlop - a.bytesPerFlop || a.weight - b.weight || a.from - b.from || a.to - b.to,
    );
    const chosen = candidates.find((c) => state.mergeKeepsAcyclic(c.from, c.to));
    if (chosen === undefined) return;
    state.merge(chosen.from, chosen.to);
  }
}
