import type { Block, TenantBlocks } from './blocks.js';
import { ON_GPU } from './problem.js';

/** A block's predicted cost on each processor (ms per run), from the caller's cost model. */
export interface BlockCost {
  readonly cpuMs: number;
  readonly gpuMs: number;
}

/** Predicts a block's cost; `tenant` indexes the Objective's tenants. */
export type BlockCostFn = (tenant: number, block: Block) => BlockCost;

/**
 * Policy inputs per decision block, in this order. All are scale-free or log-compressed so that
 * weights learnt on one problem still mean something on another (warm start).
 */
export const FEATURE_NAMES = [
  'bias',
  'log1p(cpuMs)',
  'log1p(gpuMs)',
  '(cpu-gpu)/(cpu+gpu)',
  'log1p(bytesIn/MiB)',
  'log1p(bytesOut/MiB)',
  'neighbours on GPU (byte-weighted fraction)',
  'GPU share of chosen load (all tenants)',
  'tenant weight / max weight',
] as const;
export const FEATURE_COUNT = FEATURE_NAMES.length;

const MIB = 1024 * 1024;

/** The movable blocks the policy decides, and everything static about them. */
export interface DecisionSpace {
  /** Per decision: tenant index and block index. */
  readonly tenantOf: Int32Array;
  readonly blockOf: Int32Array;
  /** Per tenant, per block: its decision index, -1 for a pinned block. */
  readonly decisionOf: readonly Int32Array[];
  /** Per tenant, per block: cost on each side (pinned blocks too: they load the CPU). */
  readonly cpuMs: readonly Float64Array[];
  readonly gpuMs: readonly Float64Array[];
  /** FEATURE_COUNT values per decision, dynamic ones left 0. */
  readonly staticFeatures: Float32Array;
  readonly tenants: readonly TenantBlocks[];
}

export function decisionSpace(
  tenants: readonly TenantBlocks[],
  blockCosts: BlockCostFn,
  tenantWeights: readonly number[],
): DecisionSpace {
  const maxWeight = Math.max(1e-12, ...tenantWeights);
  const tenantOf: number[] = [];
  const blockOf: number[] = [];
  const cpuMs = tenants.map((t) => new Float64Array(t.blocks.length));
  const gpuMs = tenants.map((t) => new Float64Array(t.blocks.length));
  const decisionOf = tenants.map((tenant, t) =>
    Int32Array.from(tenant.blocks, (block, b) => {
      const cost = blockCosts(t, block);
      (cpuMs[t] as Float64Array)[b] = cost.cpuMs;
      (gpuMs[t] as Float64Array)[b] = block.gpuAllowed ? cost.gpuMs : Number.POSITIVE_INFINITY;
      if (!block.gpuAllowed) return -1;
      tenantOf.push(t);
      blockOf.push(b);
      return tenantOf.length - 1;
    }),
  );
  const staticFeatures = new Float32Array(tenantOf.length * FEATURE_COUNT);
  tenantOf.forEach((t, d) => {
    const b = blockOf[d] as number;
    const block = tenants[t]?.blocks[b] as Block;
    const cpu = (cpuMs[t] as Float64Array)[b] as number;
    const gpu = (gpuMs[t] as Float64Array)[b] as number;
    const row = d * FEATURE_COUNT;
    staticFeatures[row] = 1;
    staticFeatures[row + 1] = Math.log1p(cpu);
    staticFeatures[row + 2] = Math.log1p(gpu);
    staticFeatures[row + 3] = (cpu - gpu) / Math.max(1e-12, cpu + gpu);
    staticFeatures[row + 4] = Math.log1p(block.bytesIn / MIB);
    staticFeatures[row + 5] = Math.log1p(block.bytesOut / MIB);
    staticFeatures[row + 8] = (tenantWeights[t] ?? 1) / maxWeight;
  });
  return {
    tenantOf: Int32Array.from(tenantOf),
    blockOf: Int32Array.from(blockOf),
    decisionOf,
    cpuMs,
    gpuMs,
    staticFeatures,
    tenants,
  };
}

/**
 * Writes the features of every decision given the current block sides (the context of this
 * sweep) into `out` at row offset `rowOffset` (decisions x FEATURE_COUNT).
 */
export function writeFeatures(
  space: DecisionSpace,
  sides: readonly Uint8Array[],
  out: Float32Array,
  rowOffset: number,
): void {
  let cpuLoadMs = 0;
  let gpuLoadMs = 0;
  space.tenants.forEach((tenant, t) => {
    const tenantSides = sides[t] as Uint8Array;
    for (let b = 0; b < tenant.blocks.length; b++) {
      if (tenantSides[b] === ON_GPU) gpuLoadMs += (space.gpuMs[t] as Float64Array)[b] as number;
      else cpuLoadMs += (space.cpuMs[t] as Float64Array)[b] as number;
    }
  });
  const gpuShare = gpuLoadMs / Math.max(1e-12, cpuLoadMs + gpuLoadMs);
  const decisions = space.tenantOf.length;
  out.set(space.staticFeatures, rowOffset * FEATURE_COUNT);
  for (let d = 0; d < decisions; d++) {
    const t = space.tenantOf[d] as number;
    const b = space.blockOf[d] as number;
    const tenant = space.tenants[t] as TenantBlocks;
    const tenantSides = sides[t] as Uint8Array;
    let onGpu = 0;
    let total = 0;
    // +1 per edge so that order-only (0-byte) neighbours still count a little.
    for (const edge of neighbourEdges(tenant, b)) {
      const other = edge.from === b ? edge.to : edge.from;
      total += edge.bytes + 1;
      if (tenantSides[other] === ON_GPU) onGpu += edge.bytes + 1;
    }
    const row = (rowOffset + d) * FEATURE_COUNT;
    out[row + 6] = total > 0 ? onGpu / total : 0;
    out[row + 7] = gpuShare;
  }
}

const neighbourCache = new WeakMap<TenantBlocks, { from: number; to: number; bytes: number }[][]>();

/** Per block, its incident edges (built once per TenantBlocks). */
function neighbourEdges(
  tenant: TenantBlocks,
  block: number,
): readonly { from: number; to: number; bytes: number }[] {
  let lists = neighbourCache.get(tenant);
  if (lists === undefined) {
    const built: { from: number; to: number; bytes: number }[][] = tenant.blocks.map(() => []);
    for (const edge of tenant.edges) {
      built[edge.from]?.push(edge);
      built[edge.to]?.push(edge);
    }
    lists = built;
    neighbourCache.set(tenant, lists);
  }
  return lists[block] ?? [];
}
