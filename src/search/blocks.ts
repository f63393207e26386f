import type { GraphIR } from '../graph/index.js';
import { ON_GPU } from './problem.js';

/**
 * Blocks: the units the RL phase places (COS's coarse IR). A block is a set of one tenant's
 * operators that move together; blocks of a tenant form a DAG.
 *
 * Rule for pinned operators: an operator that may not run on the GPU never shares a block with one
 * that may. So a block is either wholly movable (`gpuAllowed`) or wholly pinned to the CPU, and a
 * block's placement is exactly its operators' placement (no hidden partial moves).
 */
export interface Block {
  /** Operator indices (GraphIR.ops), ascending. */
  readonly ops: readonly number[];
  /** True: every operator may go to the GPU. False: every operator is pinned to the CPU. */
  readonly gpuAllowed: boolean;
  /** Sum of the operators' flops (unknown counted as 0). */
  readonly flops: number;
  /** Activation bytes entering from other blocks or graph inputs; a tensor counted once per block. */
  readonly bytesIn: number;
  /** Activation bytes leaving to other blocks or as graph outputs; a tensor counted once. */
  readonly bytesOut: number;
}

/** A dependency between two blocks of one tenant; `bytes` may be 0 (unknown sizes, or order only). */
export interface BlockEdge {
  readonly from: number;
  readonly to: number;
  /** Activation bytes crossing from `from` to `to`, each tensor once. */
  readonly bytes: number;
}

/** One tenant's blocks, numbered in a topological order of the block DAG. */
export interface TenantBlocks {
  readonly blocks: readonly Block[];
  /** Per operator index: its block. */
  readonly blockOfOp: Int32Array;
  /** Sorted by (from, to); from < to always (topological numbering). */
  readonly edges: readonly BlockEdge[];
  /** Per block: predecessor blocks, ascending. */
  readonly preds: readonly (readonly number[])[];
  /** Per block: successor blocks, ascending. */
  readonly succs: readonly (readonly number[])[];
}

/**
 * Builds a tenant's block graph from a grouping of its operators (`groupOfOp`: any ids, one per
 * op). Crossing bytes are counted exactly here, from tensors, whatever estimates chose the groups.
 * Throws if the grouping makes the block graph cyclic.
 */
export function buildBlocks(
  graph: GraphIR,
  gpuAllowed: readonly boolean[],
  groupOfOp: ArrayLike<number>,
): TenantBlocks {
  const opCount = graph.ops.length;
  // Dense group ids, in order of each group's first operator.
  const denseOf = new Map<number, number>();
  const rawBlock = new Int32Array(opCount);
  for (let op = 0; op < opCount; op++) {
    const group = groupOfOp[op] as number;
    let dense = denseOf.get(group);
    if (dense === undefined) {
      dense = denseOf.size;
      denseOf.set(group, dense);
    }
    rawBlock[op] = dense;
  }
  const count = denseOf.size;
  const bytesIn = new Float64Array(count);
  const bytesOut = new Float64Array(count);
  const edgeBytes = new Map<number, Map<number, number>>();
  const addEdge = (from: number, to: number, bytes: number): void => {
    const row = edgeBytes.get(from) ?? new Map<number, number>();
    edgeBytes.set(from, row);
    row.set(to, (row.get(to) ?? 0) + bytes);
  };

  for (const tensor of Object.values(graph.tensors)) {
    if (tensor.kind === 'initializer' || tensor.kind === 'constant') continue;
    const bytes = tensor.bytes ?? 0;
    const consumerBlocks = new Set<number>();
    for (const consumer of tensor.consumers) consumerBlocks.add(rawBlock[consumer] as number);
    if (tensor.producer === null) {
      for (const block of consumerBlocks) bytesIn[block] = (bytesIn[block] ?? 0) + bytes;
      continue;
    }
    const from = rawBlock[tensor.producer] as number;
    consumerBlocks.delete(from);
    if (consumerBlocks.size > 0 || tensor.isGraphOutput) bytesOut[from] = (bytesOut[from] ?? 0) + bytes;
    for (const to of consumerBlocks) {
      bytesIn[to] = (bytesIn[to] ?? 0) + bytes;
      addEdge(from, to, bytes);
    }
  }

  const order = topologicalOrder(count, edgeBytes, rawBlock);
  const renumber = new Int32Array(count);
  order.forEach((raw, position) => {
    renumber[raw] = position;
  });

  const opsOf: number[][] = Array.from({ length: count }, () => []);
  const blockOfOp = new Int32Array(opCount);
  for (let op = 0; op < opCount; op++) {
    const block = renumber[rawBlock[op] as number] as number;
    blockOfOp[op] = block;
    (opsOf[block] as number[]).push(op);
  }
  const blocks: Block[] = opsOf.map((ops, block) => {
    const raw = order[block] as number;
    const allowed = ops.map((op) => gpuAllowed[op] === true);
    if (allowed.some((ok) => ok !== allowed[0])) {
      throw new Error(`block of ops ${ops.join(',')} mixes GPU-allowed and CPU-pinned operators`);
    }
    return {
      ops,
      gpuAllowed: allowed[0] === true,
      flops: ops.reduce((sum, op) => sum + (graph.ops[op]?.flops ?? 0), 0),
      bytesIn: bytesIn[raw] as number,
      bytesOut: bytesOut[raw] as number,
    };
  });

  const edges: BlockEdge[] = [];
  for (const [rawFrom, row] of edgeBytes) {
    for (const [rawTo, bytes] of row) {
      edges.push({ from: renumber[rawFrom] as number, to: renumber[rawTo] as number, bytes });
    }
  }
  edges.sort((a, b) => a.from - b.from || a.to - b.to);
  const preds: number[][] = Array.from({ length: count }, () => []);
  const succs: number[][] = Array.from({ length: count }, () => []);
  for (const edge of edges) {
    (succs[edge.from] as number[]).push(edge.to);
    (preds[edge.to] as number[]).push(edge.from);
  }
  for (const list of preds) list.sort((a, b) => a - b);
  return { blocks, blockOfOp, edges, preds, succs };
}

/** Kahn's algorithm, ready blocks taken lowest first operator first (deterministic). */
function topologicalOrder(
  count: number,
  edgeBytes: ReadonlyMap<number, ReadonlyMap<number, number>>,
  rawBlock: Int32Array,
): number[] {
  const firstOp = new Int32Array(count).fill(-1);
  rawBlock.forEach((block, op) => {
    if (firstOp[block] === -1) firstOp[block] = op;
  });
  const indegree = new Int32Array(count);
  for (const row of edgeBytes.values()) for (const to of row.keys()) indegree[to] = (indegree[to] ?? 0) + 1;
  const ready: number[] = [];
  for (let block = 0; block < count; block++) if (indegree[block] === 0) ready.push(block);
  const order: number[] = [];
  while (ready.length > 0) {
    let best = 0;
    for (let i = 1; i < ready.length; i++) {
      if ((firstOp[ready[i] as number] as number) < (firstOp[ready[best] as number] as number)) best = i;
    }
    const block = ready.splice(best, 1)[0] as number;
    order.push(block);
    for (const to of edgeBytes.get(block)?.keys() ?? []) {
      indegree[to] = (indegree[to] as number) - 1;
      if (indegree[to] === 0) ready.push(to);
    }
  }
  if (order.length !== count) throw new Error('block graph has a cycle');
  return order;
}

/**
 * Expands per-block sides (ON_CPU/ON_GPU per block, tenant order) to an operator Assignment. A
 * pinned block stays on the CPU whatever its side says, so the result always respects gpuAllowed.
 */
export function expandBlocks(
  tenants: readonly TenantBlocks[],
  blockSides: readonly Uint8Array[],
): Uint8Array[] {
  return tenants.map((tenant, t) => {
    const sides = blockSides[t];
    const ops = new Uint8Array(tenant.blockOfOp.length);
    if (sides === undefined) return ops;
    tenant.blocks.forEach((block, b) => {
      if (!block.gpuAllowed || sides[b] !== ON_GPU) return;
      for (const op of block.ops) ops[op] = ON_GPU;
    });
    return ops;
  });
}
